/**
 * The contract between a training method (VP-SDE, flow matching, VSDM, ASBM, …) and everything that
 * drives it: the CLI, the examples and the benchmarks. A method plugs into `bridgekit train` and
 * `bridgekit sample` by being listed in the CLI's method table; the CLI's core never names a method.
 */

/** A method-specific option, exposed by the CLI as `--<flag> <value>`. */
export interface MethodOption {
  /** Key in `TrainRequest.options`. */
  readonly name: string;
  /** CLI flag without dashes, kebab-case (e.g. 'beta-max'). */
  readonly flag: string;
  readonly description: string;
  readonly type: 'number' | 'integer' | 'string' | 'boolean';
  readonly default?: number | string | boolean;
  /** Inclusive bounds for numbers. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for strings. */
  readonly choices?: readonly string[];
}

/** Progress of a long-running job, for progress bars and logs. */
export interface Progress {
  /** What is running, e.g. 'train', 'stage 2/20: dsm', 'sample'. */
  readonly phase: string;
  /** Steps done and total in this phase. */
  readonly done: number;
  readonly total: number;
  /** Latest training loss, when there is one. */
  readonly loss?: number;
}

/** Training data as the CLI loaded it: n rows of `dim` columns, row-major, not normalised. */
export interface TrainingData {
  readonly points: Float32Array;
  readonly dim: number;
  /** Where it came from (dataset name or file path), recorded in the model's config. */
  readonly source: string;
}

export interface TrainRequest {
  readonly data: TrainingData;
  /** Output directory: checkpoints under `<out>/checkpoints/`, the final model under `<out>/model/`. */
  readonly out: string;
  readonly steps: number;
  readonly batch: number;
  readonly seed: number;
  /** Write a checkpoint every this many steps (and always at the end). */
  readonly checkpointEvery: number;
  /** Continue from the latest checkpoint in `out` (error if there is none or it does not match). */
  readonly resume: boolean;
  /** Method options, validated against `Method.options` (defaults filled in). */
  readonly options: Readonly<Record<string, number | string | boolean>>;
  readonly onProgress?: (p: Progress) => void;
}

export interface TrainSummary {
  readonly method: string;
  readonly steps: number;
  readonly finalLoss: number;
  /** Loss per logged step, for the loss-curve plot; `phase` names the series of a phased method. */
  readonly lossCurve: { readonly step: number; readonly loss: number; readonly phase?: string }[];
  readonly seconds: number;
  /** Directory of the final model. */
  readonly modelDir: string;
}

export interface SampleRequest {
  readonly n: number;
  readonly seed: number;
  /** Network evaluations per sample; each method maps it to its own step count. */
  readonly nfe?: number;
  /** 'sde' (stochastic) or 'ode' (probability flow / deterministic). */
  readonly solver?: 'sde' | 'ode';
  /** Record this many trajectories (the first paths), in data coordinates. */
  readonly trajectories?: number;
  /** Also return each sample's starting prior draw (`SampleResult.starts`), for coupling plots. */
  readonly pairs?: boolean;
  readonly onProgress?: (p: Progress) => void;
}

export interface SampleResult {
  /** n rows of `dim` columns, row-major, in data coordinates (normalisation undone). */
  readonly samples: Float32Array;
  readonly dim: number;
  readonly nfe: number;
  /** t per recorded time, and per time a flat [paths × dim] array, in data coordinates. */
  readonly trajectories?: { readonly t: number[]; readonly states: Float32Array[] };
  /**
   * With `pairs`: the prior draw each sample started from, n rows of `dim` columns in the prior's own
   * coordinates (no normalisation undone), row i belonging to sample i.
   */
  readonly starts?: Float32Array;
}

/** A trained model loaded from disk. */
export interface TrainedModel {
  readonly method: string;
  readonly dim: number;
  sample(request: SampleRequest): Promise<SampleResult>;
  /** Frees tensors. */
  dispose(): void;
}

export interface Method {
  /** The `--method` value, e.g. 'vp', 'cfm', 'ot-cfm'. */
  readonly name: string;
  readonly description: string;
  readonly options: readonly MethodOption[];
  /** Trains (or resumes) and writes checkpoints and the final model under `request.out`. */
  train(request: TrainRequest): Promise<TrainSummary>;
  /** Loads a model this method wrote (its `model/` directory or a checkpoint). */
  load(dir: string): Promise<TrainedModel>;
}
