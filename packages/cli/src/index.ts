// The bridgekit command line as a library: `createCli` over a method table. The `bridgekit` binary
// (bin.ts) is this with the methods of the installed method packages.
export type { Cli, CliOptions } from './cli.js';
export { createCli } from './cli.js';
export { CliError, EXIT_FAILURE, EXIT_USAGE } from './errors.js';
