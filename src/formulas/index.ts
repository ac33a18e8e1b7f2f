/** The formula library: pure functions, no I/O, nothing else of mqrel's imported. */
export {
  type ChainSolveOptions,
  ChainTooLargeError,
  type ClusterChainParams,
  type ClusterChainResult,
  ClusterSolveCache,
  clusterChain,
  type FailureMode,
  MAX_PROCESS_STATES,
  MAX_UP_STATES,
} from "./clusterChain.js";
export { type QuorumChainParams, type QuorumChainResult, quorumChain } from "./ctmc.js";
export { type ReplicatedDurabilityParams, replicatedDurability } from "./durability.js";
export {
  FLEET_TOLERANCE,
  type FleetBroker,
  type FleetInput,
  type FleetMetrics,
  fleetBrokerFromModes,
  fleetMetricsIndependent,
  MAX_AVAILABILITY_WORK,
  MAX_LOSS_WORK,
} from "./fleet.js";
export {
  fleetMetricsSymmetric,
  MAX_SUBSET_LOOKUPS,
  type SymmetricFleetInput,
  type SymmetricFleetMode,
} from "./fleetSymmetric.js";
export {
  type FleetZone,
  type FleetZonesInput,
  type FleetZonesMetrics,
  fleetMetricsZones,
  fleetZoneFromOutage,
  MAX_ZONE_VECTORS,
} from "./fleetZones.js";
export { type InSyncChainParams, type InSyncChainResult, inSyncChain, MAX_IN_SYNC_STATES } from "./inSyncChain.js";
export { inSyncLoss } from "./inSyncLoss.js";
export { kofnAvailability, upCountDistribution } from "./kofn.js";
export { MAX_ATTEMPTS, MAX_NODES } from "./limits.js";
export {
  type BadRelease,
  type BadRoundPhases,
  badRoundPhases,
  MAX_WINDOW_STATES,
  type MaintenanceParams,
  type MaintenanceResult,
  maintenanceAvailability,
} from "./maintenance.js";
export {
  type ArticleInputs,
  articleInputs,
  type LeaderFailureMode,
  leaderAckLoss,
  type MessagePathParams,
  type MessagePathResult,
  messagePathOutcomes,
  redeliveryShare,
} from "./messagePath.js";
export { nodeAvailability } from "./nodeAvailability.js";
export { parallelAvailability, parallelFaultTolerance } from "./parallel.js";
export { type ZoneLossCheck, zoneLossSurvival } from "./placement.js";
export {
  assertProbability,
  complementOf,
  type Probability,
  powerOf,
  productOf,
} from "./probability.js";
export {
  clusterAvailabilityChain,
  MAX_REGION_STATES,
  type RegionControl,
  type RegionSite,
  type RegionsParams,
  type RegionsResult,
  regionServiceChain,
  regionsChain,
  regionsChainStates,
  type SiteChain,
} from "./regions.js";
export {
  attemptStartTimes,
  type RetryDeadlineResult,
  type RetrySchedule,
  retryFaultTolerance,
  retryWithinDeadline,
} from "./retry.js";
export { seriesAvailability } from "./series.js";
export { ackReliability, persistenceReliability } from "./stageReliability.js";
export { competingModesAvailability, zonedKofnAvailability } from "./zones.js";
