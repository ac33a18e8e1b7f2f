/**
 * Importance sampling of the cluster's Markov chain over regenerative cycles, with balanced
 * failure biasing — for quorum losses too rare for plain Monte Carlo to see.
 *
 * The chain (`--assume formula` mechanics: every time exponential) is the same cluster as
 * cluster.ts simulates, state by state: each node's process (up; failed in a mode and
 * waiting FIFO for a crew, under repair by one, or recovering on its own), the crews' FIFO
 * queue in its actual order, each zone up or down, the common cause, and the queue's
 * leader (on which node, or an election pending). Transitions and their rates:
 *
 *   failures  — node i fails in mode m (rate 1/mtbf_m, for every up process and mode); a
 *               zone goes down (zone rate, per up zone); the common cause strikes (its rate,
 *               outside a common-cause outage);
 *   repairs   — a crew finishes (1/mttr_m of the mode it repairs; the next node in the FIFO
 *               queue gets the crew), a crew-free recovery ends (1/mttr_m), a zone is
 *               restored, the cluster is restored after a common cause, an election ends
 *               (1/failover.time, while the quorum is up and no leader is elected; the new
 *               leader is a uniformly chosen up node).
 *
 * A cycle starts in the regeneration state R — every node and zone up, no common cause —
 * and ends at the next entry to R. The queue's leader does not change how nodes, zones
 * and the common cause behave, so the quorum's chain leaves it out and the biased cycles
 * below regenerate at every return to all-up. The leader matters only to the queue's
 * availability, whose frequent part (elections) needs no biasing: with failover, a
 * second pass of as many cycles runs under the original measure with the leader, and
 * its R also has the leader elected (with zones of unequal sizes, in a zone of the size
 * s* most nodes sit in: zones of equal size, and the nodes in a zone, are
 * interchangeable, so all those states are one state of the lumped chain).
 *
 * The jump chain is simulated under a changed measure q, balanced failure biasing
 * (Shahabuddin, "Importance sampling for the simulation of highly reliable Markovian
 * systems", Management Science 40(3), 1994, §3; Goyal, Shahabuddin, Heidelberger, Nicola &
 * Glynn, "A unified framework for simulating Markovian models of highly dependable
 * systems", IEEE Trans. Computers 41(1), 1992):
 *
 * - in a state where some repair is possible, the failure transitions together get
 *   probability `bias` (0.5, the value both papers use in their experiments), split
 *   equally among them; the repairs share 1 − bias in proportion to their rates;
 * - in a state where no repair is possible (all-up), the failure transitions are equally
 *   likely — balanced there too, as in Shahabuddin's scheme: with the original
 *   probabilities, a rare kind of failure that leads to a quorum loss most directly (a zone
 *   outage, the common cause) would be sampled only at its natural rarity, and the relative
 *   error would grow without bound as it gets rarer (measured on the test models: the
 *   original probabilities in all-up cut the variance reduction from about 250 to 2–3 with
 *   zones 2+2+1, from 210 to 27 with two failure modes);
 * - with no failure possible, the repairs in proportion to their rates.
 *
 * The likelihood ratio L = Π p(step)/q(step) is carried along the path. Time integrals use
 * the expected holding time 1/Λ(x) of each state visited instead of a drawn one (conditional
 * Monte Carlo: the same mean, less variance), and each holding time is weighted by the
 * likelihood ratio of the path up to that state (E_p[Σ_j g(X_j)] = E_q[Σ_j g(X_j)·L_j] by
 * the martingale property of L; the partial ratio has less variance than the whole path's).
 *
 * Per cycle, under q (the estimators are in estimate/importanceEstimate.ts):
 *   τ = Σ_j L_j/Λ_j                    cycle length
 *   D = Σ_{j: no quorum} L_j/Λ_j       time without quorum
 *   X = Σ_{j before the first loss} L_j/Λ_j   exposure before the first quorum loss
 *   F = L at the first quorum loss (0 when the cycle has none)
 *   O = Σ L at every quorum loss
 * and, to estimate what plain Monte Carlo's variance per cycle would be (E_p[Z²] =
 * E_q[Z²·L_T], L_T the whole cycle's ratio), the unweighted sums (τ₀, D₀, X₀, F₀, O₀)
 * and Σh² over the states visited (a drawn exponential holding time of mean h adds h² of
 * variance), weighted by L_T.
 *
 * Maintenance rounds (a deterministic schedule) and fixed election delays are not Markovian;
 * decideMethod() (estimate/methodChoice.ts) refuses the schedule before anything runs, and
 * for realistic mechanics hands this run the exponential-equivalent chain where that has
 * the same metrics (estimate/insensitivity.ts).
 */

import { CONTROL_MASK, type RunControl, warmUpControl } from "./cluster.js";
import type { ClusterSimConfig } from "./config.js";
import { IMPORTANCE_RECORD } from "./records.js";
import { nextOpenUnit, type RngState, seedState } from "./rng.js";

/** The slots of an importance-sampling run's record (records.ts); exported here too for its estimator. */
export { IMPORTANCE_RECORD };

const UP = 0;
const WAITING = 1;
const REPAIRING = 2;
const RECOVERING = 3;
const COMMON_CAUSE = 5;

/**
 * Simulate `cycles` regenerative cycles under balanced failure biasing and return their
 * sums ({@link IMPORTANCE_RECORD}). With a `control`, stops between cycles (and inside a
 * very long one) when the stop flag is raised; the unfinished cycle is dropped.
 *
 * @throws RangeError when the cluster has maintenance or fixed election delays (not Markovian)
 *   or the bias is not in (0, 1)
 */
export function simulateImportanceRun(
  config: ClusterSimConfig,
  bias: number,
  cycles: number,
  rng: RngState,
  control?: RunControl,
): Float64Array {
  if (!(bias > 0 && bias < 1)) throw new RangeError(`simulateImportanceRun requires a bias in (0, 1), got ${bias}`);
  if (
    config.maintenance !== undefined ||
    config.controller !== undefined ||
    config.failover?.fixed === true ||
    config.failure.kind !== "exponential" ||
    config.repair.kind !== "exponential"
  ) {
    throw new RangeError(
      "simulateImportanceRun requires Markovian mechanics: exponential times, no maintenance schedule, exponential elections, no control plane",
    );
  }
  const n = config.nodes;
  const k = config.quorum;
  const crews = config.repairCrews;
  const modeCount = config.modes.length;
  const failRate = Float64Array.from(config.modes, (m) => 1 / m.mtbfHours);
  const recoverRate = Float64Array.from(config.modes, (m) => 1 / m.mttrHours);
  const modeCrew = Uint8Array.from(config.modes, (m) => (m.crew ? 1 : 0));
  let nodeFailRate = 0;
  for (let m = 0; m < modeCount; m++) nodeFailRate += failRate[m] as number;
  const ccRate = config.commonCauseRatePerHour;
  const ccRestoreRate = 1 / config.commonCauseMttrHours;
  // Zones that hold no node change nothing: they are left out of the chain.
  const zones = config.zones;
  const zoneRate = zones && zones.outageRatePerHour > 0 ? zones.outageRatePerHour : 0;
  const zoneRestoreRate = zones ? 1 / zones.mttrHours : 0;
  const rawZoneOf = zones?.zoneOfNode ?? new Array<number>(n).fill(0);
  const zoneIds = [...new Set(rawZoneOf)].sort((a, b) => a - b);
  const zoneCount = zoneIds.length;
  const zoneOf = Int32Array.from(rawZoneOf, (z) => zoneIds.indexOf(z));
  const zoneSize = new Int32Array(zoneCount);
  for (let i = 0; i < n; i++) zoneSize[zoneOf[i] as number] = (zoneSize[zoneOf[i] as number] as number) + 1;
  const zonesFail = zoneRate > 0;
  const failover = config.failover;
  const electRate = failover ? 1 / failover.meanHours : 0;
  const leaderSize = failover ? regenerationZoneSize(zoneSize) : 0;
  let firstLeader = 0;
  while (failover && zoneSize[zoneOf[firstLeader] as number] !== leaderSize) firstLeader++;

  const state = new Uint8Array(n);
  const failedMode = new Int32Array(n);
  const queue = new Int32Array(n);
  const zoneUp = new Uint8Array(zoneCount);
  const zoneProcessesUp = new Int32Array(zoneCount);

  const out = new Float64Array(IMPORTANCE_RECORD.size);
  let transitions = 0;
  const passes = failover ? 2 : 1;
  let halted = false;
  for (let pass = 0; pass < passes && !halted; pass++) {
    const natural = pass === 1;
    // the leader only matters to the queue: the biased pass leaves it out (the quorum's
    // chain does not depend on it), and so regenerates at every return to all-up
    const withLeader = natural && failover !== undefined;
    for (let c = 0; c < cycles; c++) {
      if (control !== undefined && Atomics.load(control.stop, 0) !== 0) {
        out[IMPORTANCE_RECORD.stopped] = 1;
        halted = true;
        break;
      }
      // The regeneration state.
      state.fill(UP);
      zoneUp.fill(1);
      zoneProcessesUp.set(zoneSize);
      let upProcesses = n;
      let upCount = n;
      let upZones = zoneCount;
      let inCommonCause = false;
      let queueHead = 0;
      let queueLength = 0;
      let busyCrews = 0;
      let recovering = 0; // nodes down in a crew-free mode
      let leader = withLeader ? firstLeader : 0;
      let clusterUp = true;

      let likelihood = 1;
      let tau = 0;
      let down = 0;
      let exposure = 0;
      let lossWeight = 0;
      let outages = 0;
      let tau0 = 0;
      let down0 = 0;
      let exposure0 = 0;
      let outages0 = 0;
      let tauH2 = 0;
      let downH2 = 0;
      let exposureH2 = 0;
      let elect0 = 0;
      let electH2 = 0;
      let lost = false;
      let stopped = false;

      for (;;) {
        // Rates out of the current state.
        const processFailures = upProcesses * modeCount;
        const failureCount = processFailures + (zonesFail ? upZones : 0) + (ccRate > 0 && !inCommonCause ? 1 : 0);
        const failureRate = upProcesses * nodeFailRate + (zonesFail ? upZones * zoneRate : 0) + (inCommonCause ? 0 : ccRate);
        const electing = withLeader && clusterUp && leader < 0;
        let repairRate = (inCommonCause ? ccRestoreRate : 0) + (zoneCount - upZones) * zoneRestoreRate + (electing ? electRate : 0);
        if (busyCrews + recovering > 0) {
          for (let i = 0; i < n; i++) {
            const s = state[i] as number;
            if (s === REPAIRING || s === RECOVERING) repairRate += recoverRate[failedMode[i] as number] as number;
          }
        }
        const total = failureRate + repairRate;
        const h = 1 / total;
        tau += likelihood * h;
        tau0 += h;
        tauH2 += h * h;
        if (!clusterUp) {
          down += likelihood * h;
          down0 += h;
          downH2 += h * h;
        }
        if (!lost) {
          exposure += likelihood * h;
          exposure0 += h;
          exposureH2 += h * h;
        }
        if (electing) {
          elect0 += h;
          electH2 += h * h;
        }

        // Choose the next transition under the biased measure, and update the likelihood ratio.
        transitions++;
        if (control !== undefined && (transitions & CONTROL_MASK) === 0 && Atomics.load(control.stop, 0) !== 0) {
          stopped = true;
          break;
        }
        const u = nextOpenUnit(rng);
        let failure: boolean;
        let pick: number; // failure: index among the failure transitions; repair: a point in [0, repairRate)
        if (natural) {
          // the original measure: every transition in proportion to its rate, ratio 1
          failure = u * total < failureRate;
          if (failure) {
            let at = u * total;
            pick = failureCount - 1;
            for (let f = 0; f < failureCount - 1; f++) {
              at -=
                f < processFailures
                  ? (failRate[f % modeCount] as number)
                  : f < processFailures + (zonesFail ? upZones : 0)
                    ? zoneRate
                    : ccRate;
              if (at < 0) {
                pick = f;
                break;
              }
            }
          } else pick = u * total - failureRate;
        } else if (failureCount > 0 && (repairRate === 0 || u < bias)) {
          failure = true;
          // uniform among the failure transitions (u re-scaled to [0, 1))
          const v = repairRate === 0 ? u : u / bias;
          pick = Math.min(failureCount - 1, Math.floor(v * failureCount));
          const q = repairRate === 0 ? 1 / failureCount : bias / failureCount;
          const rate =
            pick < processFailures
              ? (failRate[pick % modeCount] as number)
              : pick < processFailures + (zonesFail ? upZones : 0)
                ? zoneRate
                : ccRate;
          likelihood *= rate / total / q;
        } else {
          failure = false;
          const v = failureCount === 0 ? u : (u - bias) / (1 - bias);
          pick = v * repairRate;
          // the chosen repair's rate / repairRate is its share; p/q = (rate/total) / ((1 − bias)·rate/repairRate)
          likelihood *= failureCount === 0 ? 1 : repairRate / total / (1 - bias);
        }

        // Apply it.
        if (failure) {
          if (pick < processFailures) {
            // node × mode: the (pick / modeCount)-th up process fails in mode pick % modeCount
            const mode = pick % modeCount;
            let rank = Math.floor(pick / modeCount);
            let i = 0;
            for (; i < n; i++) if (state[i] === UP && rank-- === 0) break;
            const z = zoneOf[i] as number;
            upProcesses--;
            zoneProcessesUp[z] = (zoneProcessesUp[z] as number) - 1;
            if (zoneUp[z] === 1) upCount--;
            if (leader === i) leader = -1;
            failedMode[i] = mode;
            if (modeCrew[mode] === 0) {
              state[i] = RECOVERING;
              recovering++;
            } else if (busyCrews < crews) {
              state[i] = REPAIRING;
              busyCrews++;
            } else {
              state[i] = WAITING;
              queue[(queueHead + queueLength) % n] = i;
              queueLength++;
            }
          } else if (zonesFail && pick < processFailures + upZones) {
            let rank = pick - processFailures;
            let z = 0;
            for (; z < zoneCount; z++) if (zoneUp[z] === 1 && rank-- === 0) break;
            zoneUp[z] = 0;
            upZones--;
            if (!inCommonCause) upCount -= zoneProcessesUp[z] as number;
            if (leader >= 0 && zoneOf[leader] === z) leader = -1;
          } else {
            // the common cause: every process down, crews and queue cleared; zones go on
            for (let i = 0; i < n; i++) state[i] = COMMON_CAUSE;
            zoneProcessesUp.fill(0);
            upProcesses = 0;
            upCount = 0;
            inCommonCause = true;
            queueHead = 0;
            queueLength = 0;
            busyCrews = 0;
            recovering = 0;
            leader = -1;
          }
        } else {
          // The repair whose rate interval holds `pick`, in the order: crews and crew-free
          // recoveries (node order), zone restores, the common-cause restore, the election.
          // Rounding may leave `pick` a hair beyond the last interval: then it is the last one.
          let at = pick;
          let node = -1;
          let zone = -1;
          let restore = false;
          if (busyCrews + recovering > 0) {
            for (let i = 0; i < n; i++) {
              const s = state[i] as number;
              if (s !== REPAIRING && s !== RECOVERING) continue;
              node = i;
              at -= recoverRate[failedMode[i] as number] as number;
              if (at < 0) break;
            }
          }
          if (at >= 0 && upZones < zoneCount) {
            for (let z = 0; z < zoneCount; z++) {
              if (zoneUp[z] === 1) continue;
              zone = z;
              at -= zoneRestoreRate;
              if (at < 0) break;
            }
            if (zone >= 0) node = -1;
          }
          if (at >= 0 && inCommonCause) {
            at -= ccRestoreRate;
            restore = true;
            node = -1;
            zone = -1;
          }
          if (at >= 0 && electing) {
            node = -1;
            zone = -1;
            restore = false;
          }
          if (node >= 0) {
            const s = state[node] as number;
            state[node] = UP;
            upProcesses++;
            const z = zoneOf[node] as number;
            zoneProcessesUp[z] = (zoneProcessesUp[z] as number) + 1;
            if (zoneUp[z] === 1) upCount++;
            if (s === RECOVERING) recovering--;
            else if (queueLength > 0) {
              // the crew takes the next node in FIFO order
              const next = queue[queueHead] as number;
              queueHead = (queueHead + 1) % n;
              queueLength--;
              state[next] = REPAIRING;
            } else busyCrews--;
          } else if (zone >= 0) {
            zoneUp[zone] = 1;
            upZones++;
            if (!inCommonCause) upCount += zoneProcessesUp[zone] as number;
          } else if (restore) {
            inCommonCause = false;
            upCount = 0;
            for (let i = 0; i < n; i++) {
              state[i] = UP;
              if (zoneUp[zoneOf[i] as number] === 1) upCount++;
            }
            upProcesses = n;
            zoneProcessesUp.set(zoneSize);
          } else {
            // the election: a new leader on a uniformly chosen up node
            leader = uniformUpNode(state, zoneUp, zoneOf, rng);
          }
        }

        const nowUp = !inCommonCause && upCount >= k;
        if (!nowUp) leader = -1;
        if (clusterUp && !nowUp) {
          outages += likelihood;
          outages0++;
          if (!lost) {
            lost = true;
            lossWeight = likelihood;
          }
        }
        clusterUp = nowUp;
        if (upCount === n && !inCommonCause && (!withLeader || (leader >= 0 && zoneSize[zoneOf[leader] as number] === leaderSize))) break;
      }
      if (stopped) {
        out[IMPORTANCE_RECORD.stopped] = 1;
        halted = true;
        break;
      }
      if (natural) {
        const r = out;
        r[IMPORTANCE_RECORD.naturalCycles] = (r[IMPORTANCE_RECORD.naturalCycles] as number) + 1;
        add(r, IMPORTANCE_RECORD.naturalTau, tau0);
        add(r, IMPORTANCE_RECORD.naturalElect, elect0);
        add(r, IMPORTANCE_RECORD.naturalTau2, tau0 * tau0);
        add(r, IMPORTANCE_RECORD.naturalElect2, elect0 * elect0);
        add(r, IMPORTANCE_RECORD.naturalElectTau, elect0 * tau0);
        add(r, IMPORTANCE_RECORD.naturalElectH2, electH2);
        add(r, IMPORTANCE_RECORD.naturalTauH2, tauH2);
        if (elect0 > 0) add(r, IMPORTANCE_RECORD.naturalElectionCycles, 1);
        continue;
      }

      // The cycle is complete: add it to the run's sums.
      const l = likelihood; // the whole cycle's likelihood ratio
      const f0 = lost ? 1 : 0;
      const r = out;
      r[IMPORTANCE_RECORD.cycles] = (r[IMPORTANCE_RECORD.cycles] as number) + 1;
      r[IMPORTANCE_RECORD.lossCycles] = (r[IMPORTANCE_RECORD.lossCycles] as number) + f0;
      r[IMPORTANCE_RECORD.losses] = (r[IMPORTANCE_RECORD.losses] as number) + outages0;
      add(r, IMPORTANCE_RECORD.tau, tau);
      add(r, IMPORTANCE_RECORD.down, down);
      add(r, IMPORTANCE_RECORD.exposure, exposure);
      add(r, IMPORTANCE_RECORD.lossWeight, lossWeight);
      add(r, IMPORTANCE_RECORD.outages, outages);
      add(r, IMPORTANCE_RECORD.tau2, tau * tau);
      add(r, IMPORTANCE_RECORD.down2, down * down);
      add(r, IMPORTANCE_RECORD.downTau, down * tau);
      add(r, IMPORTANCE_RECORD.exposure2, exposure * exposure);
      add(r, IMPORTANCE_RECORD.lossWeight2, lossWeight * lossWeight);
      add(r, IMPORTANCE_RECORD.exposureLoss, exposure * lossWeight);
      add(r, IMPORTANCE_RECORD.outages2, outages * outages);
      add(r, IMPORTANCE_RECORD.outagesTau, outages * tau);
      add(r, IMPORTANCE_RECORD.plainDown2, l * down0 * down0);
      add(r, IMPORTANCE_RECORD.plainDownTau, l * down0 * tau0);
      add(r, IMPORTANCE_RECORD.plainTau2, l * tau0 * tau0);
      add(r, IMPORTANCE_RECORD.plainDownH2, l * downH2);
      add(r, IMPORTANCE_RECORD.plainTauH2, l * tauH2);
      add(r, IMPORTANCE_RECORD.plainExposure2, l * exposure0 * exposure0);
      add(r, IMPORTANCE_RECORD.plainExposureLoss, l * exposure0 * f0);
      add(r, IMPORTANCE_RECORD.plainLoss, l * f0);
      add(r, IMPORTANCE_RECORD.plainExposureH2, l * exposureH2);
      add(r, IMPORTANCE_RECORD.plainOutages2, l * outages0 * outages0);
      add(r, IMPORTANCE_RECORD.plainOutagesTau, l * outages0 * tau0);
    }
  }
  out[IMPORTANCE_RECORD.transitions] = transitions;
  return out;
}

function add(record: Float64Array, field: number, value: number): void {
  record[field] = (record[field] as number) + value;
}

/**
 * The zone size s* of the regeneration state's leader: the size most nodes sit in (nodes
 * in zones of that size, summed), the larger size on a tie. Without zones: n.
 */
function regenerationZoneSize(zoneSize: Int32Array): number {
  const weight = new Map<number, number>();
  for (const size of zoneSize) weight.set(size, (weight.get(size) ?? 0) + size);
  let best = 0;
  let bestWeight = -1;
  for (const [size, w] of weight) {
    if (w > bestWeight || (w === bestWeight && size > best)) {
      best = size;
      bestWeight = w;
    }
  }
  return best;
}

/** A uniformly chosen up node (process and zone up), or −1. */
function uniformUpNode(state: Uint8Array, zoneUp: Uint8Array, zoneOf: Int32Array, rng: RngState): number {
  const n = state.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (state[i] === UP && zoneUp[zoneOf[i] as number] === 1) count++;
  if (count === 0) return -1;
  let pick = Math.floor(nextOpenUnit(rng) * count);
  for (let i = 0; i < n; i++) {
    if (state[i] !== UP || zoneUp[zoneOf[i] as number] !== 1) continue;
    if (pick-- === 0) return i;
  }
  return -1;
}

/** A few cycles on a throw-away stream, so that V8 optimises the loop with type feedback from every path. */
export function warmUpImportance(config: ClusterSimConfig, bias: number): void {
  const control = warmUpControl(); // the real runs' paths, as in run.ts's warmUp
  for (let i = 0; i < 3; i++) simulateImportanceRun(config, bias, 50, seedState(i + 0x15eed), control);
}
