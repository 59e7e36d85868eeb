/**
 * The TensorFlow.js namespace bridgekit is built on, re-exported so that every package (and a user)
 * shares one engine instance: two copies of tfjs-core would keep two registries of backends.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
