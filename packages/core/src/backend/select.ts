import * as tf from '@tensorflow/tfjs';

/** The TensorFlow.js backends bridgekit can run on, fastest first. */
export const BACKEND_NAMES = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendRequest = BackendName | 'auto';

/** The environment variable that chooses a backend when no argument does. */
export const BACKEND_ENV = 'BRIDGEKIT_BACKEND';

interface Candidate {
  readonly name: BackendName;
  /** The package whose import registers the backend; null for the built-in cpu backend. */
  readonly module: string | null;
  /** The name TensorFlow.js registers it under. */
  readonly tfName: string;
  readonly install: string;
}

const CANDIDATES: readonly Candidate[] = [
  {
    name: 'node-gpu',
    module: '@tensorflow/tfjs-node-gpu',
    tfName: 'tensorflow',
    install:
      'npm install @tensorflow/tfjs-node-gpu@4.22.0 (needs CUDA, cuDNN and internet access at install time)',
  },
  {
    name: 'node',
    module: '@tensorflow/tfjs-node',
    tfName: 'tensorflow',
    install: 'npm install @tensorflow/tfjs-node@4.22.0 (downloads libtensorflow at install time)',
  },
  {
    name: 'wasm',
    module: '@tensorflow/tfjs-backend-wasm',
    tfName: 'wasm',
    install: 'npm install @tensorflow/tfjs-backend-wasm@4.22.0',
  },
  { name: 'cpu', module: null, tfName: 'cpu', install: 'built into @tensorflow/tfjs' },
];

/** One backend that was tried, and why it was or was not taken. */
export interface BackendAttempt {
  readonly name: BackendName;
  readonly ok: boolean;
  readonly reason?: string;
}

/** What {@link initBackend} chose. */
export interface BackendInfo {
  readonly name: BackendName;
  /** The TensorFlow.js backend name (`tf.getBackend()`). */
  readonly tfBackend: string;
  readonly requested: BackendRequest;
  /** Where the request came from. */
  readonly source: 'argument' | 'environment' | 'default';
  /** Every backend tried, in order, with the reason a skipped one was skipped. */
  readonly attempts: readonly BackendAttempt[];
}

export interface InitBackendOptions {
  /** Imports an optional backend package; injectable so the selection logic can be tested. */
  readonly importModule?: (specifier: string) => Promise<unknown>;
  /** Environment to read {@link BACKEND_ENV} from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Activates a registered TensorFlow.js backend; injectable for tests. */
  readonly activate?: (tfName: string) => Promise<boolean>;
}

let active: BackendInfo | undefined;

/** The backend chosen by the last {@link initBackend}, or undefined before the first call. */
export function activeBackend(): BackendInfo | undefined {
  return active;
}

/**
 * Validates a backend request from an argument or the environment.
 * Throws a RangeError naming the source and the valid names.
 */
export function parseBackendRequest(value: string, source: string): BackendRequest {
  const v = value.trim().toLowerCase();
  if (v === 'auto' || (BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendRequest;
  throw new RangeError(`${source} must be one of auto, ${BACKEND_NAMES.join(', ')}; got '${value}'`);
}

/**
 * Chooses and activates the TensorFlow.js backend.
 *
 * `auto` tries tfjs-node-gpu, then tfjs-node, then wasm, then cpu, and records why each skipped one
 * was skipped. An explicit choice, as argument or through BRIDGEKIT_BACKEND (the argument wins),
 * fails with a message that says how to install it when it is missing. Call it once before creating
 * tensors; calling it again switches backends.
 */
export async function initBackend(
  request?: BackendRequest,
  options: InitBackendOptions = {},
): Promise<BackendInfo> {
  const env = options.env ?? process.env;
  const importModule = options.importModule ?? ((s: string) => import(s));
  const activate = options.activate ?? defaultActivate;
  let requested: BackendRequest;
  let source: BackendInfo['source'];
  if (request !== undefined) {
    requested = parseBackendRequest(String(request), 'backend');
    source = 'argument';
  } else if (env[BACKEND_ENV] !== undefined && env[BACKEND_ENV] !== '') {
    requested = parseBackendRequest(env[BACKEND_ENV]!, BACKEND_ENV);
    source = 'environment';
  } else {
    requested = 'auto';
    source = 'default';
  }
  const candidates = requested === 'auto' ? CANDIDATES : CANDIDATES.filter((c) => c.name === requested);
  const attempts: BackendAttempt[] = [];
  for (const candidate of candidates) {
    const reason = await tryCandidate(candidate, importModule, activate);
    attempts.push(
      reason === undefined ? { name: candidate.name, ok: true } : { name: candidate.name, ok: false, reason },
    );
    if (reason === undefined) {
      active = { name: candidate.name, tfBackend: candidate.tfName, requested, source, attempts };
      return active;
    }
    if (requested !== 'auto') {
      const from = source === 'environment' ? `${BACKEND_ENV}=${requested}` : `backend '${requested}'`;
      throw new Error(`${from} is not available: ${reason}. Install it with: ${candidate.install}`);
    }
  }
  throw new Error(
    `no TensorFlow.js backend could be started: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`,
  );
}

async function tryCandidate(
  candidate: Candidate,
  importModule: (specifier: string) => Promise<unknown>,
  activate: (tfName: string) => Promise<boolean>,
): Promise<string | undefined> {
  if (candidate.module !== null) {
    try {
      await importModule(candidate.module);
    } catch (error) {
      return `${candidate.module} could not be loaded (${firstLine(error)})`;
    }
  }
  try {
    const ok = await activate(candidate.tfName);
    return ok ? undefined : `TensorFlow.js could not initialise the '${candidate.tfName}' backend`;
  } catch (error) {
    return `initialising '${candidate.tfName}' failed (${firstLine(error)})`;
  }
}

async function defaultActivate(tfName: string): Promise<boolean> {
  const ok = await tf.setBackend(tfName);
  await tf.ready();
  if (ok && tfName === 'cpu') {
    // The cpu backend prints an install advertisement for tfjs-node on first use; bridgekit reports
    // the backend choice itself (BackendInfo.attempts), so the banner would only be noise.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
  return ok && tf.getBackend() === tfName;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
