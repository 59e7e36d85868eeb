import { type BackendInfo, type BackendRequest, initBackend } from '@bridgekit/core';
import { oneLine, runtimeError } from './errors.js';
import type { Reporter } from './progress.js';

/** Starts the TensorFlow.js backend and says which one was chosen (unless --quiet). */
export async function startBackend(
  request: BackendRequest | undefined,
  env: Readonly<Record<string, string | undefined>>,
  reporter: Reporter,
): Promise<BackendInfo> {
  let info: BackendInfo;
  try {
    info = await initBackend(request, { env });
  } catch (error) {
    throw runtimeError(oneLine(error), error);
  }
  const from =
    info.source === 'argument' ? '--backend' : info.source === 'environment' ? 'BRIDGEKIT_BACKEND' : 'auto';
  const skipped = info.attempts.filter((a) => !a.ok).map((a) => a.name);
  reporter.info(
    `backend: ${info.name} (${from}${skipped.length > 0 ? `; not available: ${skipped.join(', ')}` : ''})`,
  );
  return info;
}
