#!/usr/bin/env node
import { adjointMethods, finetuneMethods } from '@bridgekit/adjoint';
import { baselineMethods } from '@bridgekit/baselines';
import { variationalMethods } from '@bridgekit/variational';
import { createCli } from './cli.js';
import { DEBUG_ENV, reportError } from './errors.js';

// The method tables: a new method package plugs in by adding its methods here.
const methods = [...baselineMethods, ...variationalMethods, ...adjointMethods];

// Errors outside a command's promise chain (a stray rejection in a library) still end in one line.
const fail = (error: unknown): void => {
  process.stderr.write(reportError(error, process.env[DEBUG_ENV] === '1').text);
  process.exit(1);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// A progress bar hides the cursor while it draws; Ctrl-C must not leave the terminal without one.
process.once('SIGINT', () => {
  if (process.stdout.isTTY) process.stdout.write('\u001b[?25h\n');
  process.exit(130);
});

process.exitCode = await createCli({ methods, finetuneMethods }).run(process.argv.slice(2));
