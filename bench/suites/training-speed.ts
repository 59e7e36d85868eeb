import { execFileSync } from 'node:child_process';
import { dense, initBackend, Rng, silu, tf } from '@bridgekit/core';
import type { SuiteOptions } from '../options.js';
import type { BenchResult, BenchRow } from '../result-file.js';
import { gitCommit, writeResult } from '../result-file.js';

/**
 * training-speed (benchmarks.md §6): one training step of the reference MLP 3→256→256→2 with SiLU,
 * batch 1024, MSE loss, Adam, on every TensorFlow.js backend available, with bridgekit's matmul
 * (explicit-transpose gradients) and with tf.matMul, and in PyTorch when Debian's python3-torch is
 * installed. Times are comparable only as ratios within one run.
 */
export async function trainingSpeed(options: SuiteOptions): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const plan: { backend: 'wasm' | 'cpu'; mm: 'bridgekit' | 'tf.matMul'; steps: number }[] = [
    { backend: 'wasm', mm: 'bridgekit', steps: options.quick ? 30 : 200 },
    { backend: 'wasm', mm: 'tf.matMul', steps: options.quick ? 10 : 50 },
    { backend: 'cpu', mm: 'bridgekit', steps: options.quick ? 3 : 10 },
  ];
  for (const p of plan) {
    await initBackend(p.backend);
    const stepsPerS = measureTfjs(p.mm, p.steps);
    options.log(`${p.backend.padEnd(5)} ${p.mm.padEnd(10)} ${stepsPerS.toFixed(1)} steps/s`);
    rows.push({
      task: 'mlp-3-256-256-2',
      method: 'reference-step',
      variant: `tfjs-${p.backend}/${p.mm}`,
      seed: 0,
      n: 1024,
      backend: p.backend,
      metrics: { steps_per_s: stepsPerS, steps: p.steps },
    });
  }
  const torch = measureTorch(options.quick ? 50 : 300);
  if (torch.ok) {
    options.log(`torch ${torch.stepsPerS.toFixed(1)} steps/s`);
    rows.push({
      task: 'mlp-3-256-256-2',
      method: 'reference-step',
      variant: 'pytorch',
      note: `${torch.python}, default threads`,
      seed: 0,
      n: 1024,
      backend: 'torch-cpu',
      metrics: { steps_per_s: torch.stepsPerS },
    });
  } else {
    options.log(`pytorch skipped: ${torch.reason}`);
  }
  const ref = rows.find((r) => r.variant === 'pytorch')?.metrics.steps_per_s ?? null;
  for (const r of rows) r.metrics.ratio_to_pytorch = ref === null ? null : (r.metrics.steps_per_s ?? 0) / ref;
  return {
    suite: 'training-speed',
    commit: gitCommit(),
    backend: 'several',
    quick: options.quick,
    date: new Date().toISOString(),
    definitions: {
      steps_per_s:
        'training steps per second, after 3 warm-up steps (forward, backward, Adam update, loss read back)',
      ratio_to_pytorch:
        'steps_per_s divided by PyTorch steps_per_s in the same run; null when PyTorch is absent',
    },
    rows,
  };
}

function measureTfjs(mm: 'bridgekit' | 'tf.matMul', steps: number): number {
  const rng = new Rng(0);
  const init = (fanIn: number, fanOut: number) =>
    tf.variable(
      tf.tensor2d(
        rng.normalFloat32(fanIn * fanOut).map((v) => v / Math.sqrt(fanIn)),
        [fanIn, fanOut],
      ),
    );
  const w1 = init(3, 256);
  const w2 = init(256, 256);
  const w3 = init(256, 2);
  const b1 = tf.variable(tf.zeros([256]));
  const b2 = tf.variable(tf.zeros([256]));
  const b3 = tf.variable(tf.zeros([2]));
  const x = tf.tensor2d(rng.normalFloat32(1024 * 3), [1024, 3]);
  const y = tf.tensor2d(rng.normalFloat32(1024 * 2), [1024, 2]);
  const layer = (h: tf.Tensor2D, w: tf.Variable, b: tf.Variable): tf.Tensor2D =>
    mm === 'bridgekit'
      ? dense(h, w as tf.Tensor2D, b as tf.Tensor1D)
      : (tf.add(tf.matMul(h, w as tf.Tensor2D), b) as tf.Tensor2D);
  const optimizer = tf.train.adam(1e-3);
  const step = () => {
    const loss = optimizer.minimize(() => {
      const h1 = silu(layer(x, w1, b1));
      const h2 = silu(layer(h1, w2, b2));
      return tf.mean(tf.square(tf.sub(layer(h2, w3, b3), y))) as tf.Scalar;
    }, true);
    loss?.dataSync();
    loss?.dispose();
  };
  for (let i = 0; i < 3; i++) step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([w1, w2, w3, b1, b2, b3, x, y]);
  optimizer.dispose();
  return steps / seconds;
}

const TORCH_SCRIPT = `
import sys, time, torch
steps = int(sys.argv[1])
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(3, 256), torch.nn.SiLU(), torch.nn.Linear(256, 256), torch.nn.SiLU(), torch.nn.Linear(256, 2))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.randn(1024, 3); y = torch.randn(1024, 2)
def step():
    opt.zero_grad(); loss = ((net(x) - y) ** 2).mean(); loss.backward(); opt.step(); loss.item()
for _ in range(3): step()
t0 = time.perf_counter()
for _ in range(steps): step()
print(steps / (time.perf_counter() - t0))
`;

/**
 * Runs the reference step in PyTorch. Debian's python3-torch lives in the system interpreter, which
 * a pyenv or venv `python3` on PATH may shadow, so /usr/bin/python3 is tried first.
 */
function measureTorch(
  steps: number,
): { ok: true; stepsPerS: number; python: string } | { ok: false; reason: string } {
  const reasons: string[] = [];
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      const out = execFileSync(python, ['-c', TORCH_SCRIPT, String(steps)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 300_000,
      });
      return { ok: true, stepsPerS: Number(out.trim()), python };
    } catch (error) {
      const e = error as { code?: string; stderr?: string };
      if (e.code === 'ENOENT') continue;
      const stderr = e.stderr ?? '';
      reasons.push(
        /No module named 'torch'/.test(stderr)
          ? `${python} has no torch module`
          : `${python} failed: ${(stderr || String(error)).split('\n').filter(Boolean).pop()}`,
      );
    }
  }
  return {
    ok: false,
    reason: `${reasons.join('; ') || 'no python3 found'} (install Debian's python3-torch and libopenblas0-pthread)`,
  };
}

export function trainingSpeedMarkdown(result: BenchResult): string {
  const lines = [
    `# training-speed${result.quick ? ' (quick)' : ''}`,
    '',
    `Commit ${result.commit}, ${result.date}. Reference step: MLP 3→256→256→2, SiLU, batch 1024, MSE, Adam.`,
    '',
    '| variant | steps/s | ratio to PyTorch |',
    '| --- | ---: | ---: |',
  ];
  for (const r of result.rows) {
    const ratio = r.metrics.ratio_to_pytorch;
    lines.push(
      `| ${r.variant} | ${r.metrics.steps_per_s?.toFixed(1)} | ${ratio == null ? '—' : ratio.toFixed(2)} |`,
    );
  }
  if (!result.rows.some((r) => r.variant === 'pytorch')) {
    lines.push('', 'PyTorch was not available in this run, so no ratio is given.');
  }
  return `${lines.join('\n')}\n`;
}

export { writeResult };
