/**
 * Statistics for the simulator and the verdicts: quantiles and special functions (from
 * @stdlib's ports of Boost and Cephes), interval estimators, and exact summation.
 * One function or accumulator per file; each file's comment gives its formula and source.
 */

export { CONFIDENCE, Z_95 } from "./confidence.js";
export { ExactSum } from "./exactSum.js";
export { gammaFunction } from "./gammaFunction.js";
export { hallInterval } from "./hallInterval.js";
export { normalQuantile } from "./normalQuantile.js";
export { type RatioEstimate, type RatioSumsData, ratioEstimate, ratioResidualSkewness } from "./ratioEstimate.js";
export { ruleOfThree } from "./ruleOfThree.js";
export { studentTQuantile } from "./studentTQuantile.js";
export { wilsonInterval } from "./wilsonInterval.js";
