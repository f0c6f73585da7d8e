/**
 * The temporal engine: pure algorithms over time series (no Node.js, no I/O; runs in the
 * browser too). Everything public is exported from here.
 */
export { editDistance } from './edit-distance.js';
