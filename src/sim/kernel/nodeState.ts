/** Process states of a node in a cluster run (cluster.ts), shared with the fleet's tracker (fleetTracker.ts). */
export const UP = 0;
/** failed in a crew mode, waiting for a crew */
export const WAITING = 1;
/** failed in a crew mode, a crew on it */
export const REPAIRING = 2;
/** failed in a crew-free mode, recovering on its own */
export const RECOVERING = 3;
/** a planned restart */
export const MAINTENANCE = 4;
/** down with the whole cluster */
export const COMMON_CAUSE = 5;
