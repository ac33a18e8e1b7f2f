/**
 * Statistics for the simulator and the verdicts: quantiles and special functions (from
 * @stdlib's ports of Boost and Cephes), interval estimators, and streaming accumulators.
 * One function or accumulator per file; each file's comment gives its formula and source.
 */
export { gammaFunction } from "./gammaFunction.js";
export { mergeRatioSums } from "./mergeRatioSums.js";
export { normalQuantile } from "./normalQuantile.js";
export { type RatioEstimate, ratioEstimate } from "./ratioEstimate.js";
export { RatioSums, type RatioSumsData } from "./ratioSums.js";
export { ruleOfThree } from "./ruleOfThree.js";
export { RunningMoments } from "./runningMoments.js";
export { type SampleMoments, type StudentTInterval, studentTInterval } from "./studentTInterval.js";
export { studentTQuantile } from "./studentTQuantile.js";
export { wilsonInterval } from "./wilsonInterval.js";
