#!/usr/bin/env python3
"""
Independent reference values for mqrel's cluster chain (src/formulas/clusterChain.ts,
maintenance.ts), computed from the semantics in docs/model-files.md "Failure modes,
zones, maintenance and failover" with NO lumping: every node's own state, the repair line as an
ordered tuple of node ids, every zone's state and the leader's node id are explicit.
The generator matrix is built by brute force and solved with mpmath at 40 digits.

    python3 test/reference/cluster_chain_reference.py            # every model
    python3 test/reference/cluster_chain_reference.py M1 M3      # some

Prints one line per figure, 40 significant digits; test/formulas/clusterChain.test.ts
and test/formulas/maintenance.test.ts embed them. mpmath's lu_solve is dense, so the
models are kept to a few hundred explicit states (minutes at most).
"""
import sys
from itertools import product

from mpmath import mp, mpf, matrix, lu_solve, expm, nstr

mp.dps = 40
Y = mpf(8766)  # hours per year (365.25 days)

UP, HELD = 0, -1


class Model:
    def __init__(self, n, k, modes, crews, zone_of=None, zone_rates=None, cc=None, election=None, sticky_leader=False):
        self.n, self.k = n, k
        self.modes = modes  # list of (failure rate, repair rate, needs crew)
        self.crews = crews
        self.zone_of = zone_of or [0] * n
        self.zones = max(self.zone_of) + 1
        self.zone_rates = zone_rates  # (outage, restore) or None
        self.cc = cc  # (rate, restore) or None
        self.election = election  # rate or None
        self.sticky = sticky_leader

    # state: (cc, nodes tuple, line tuple, zones tuple, leader)
    #   nodes[i]: 0 up, j >= 1 down in mode j, -1 held (maintenance)
    #   line: crew-mode-down node ids in arrival order; the first `crews` are repaired
    #   zones[z]: 1 down; leader: node id, or None (lost / no quorum)
    def up_nodes(self, s):
        cc, nodes, line, zones, leader = s
        if cc:
            return []
        return [i for i in range(self.n) if nodes[i] == UP and zones[self.zone_of[i]] == 0]

    def is_up(self, s):
        return len(self.up_nodes(s)) >= self.k

    def with_leader(self, s, old_leader, lost):
        """Targets of a transition given the old leader: [(state, probability)]."""
        cc, nodes, line, zones, _ = s
        base = (cc, nodes, line, zones, None)
        if self.election is None:
            return [(base, mpf(1))]
        if not self.is_up(base) or old_leader is None or lost:
            return [(base, mpf(1))]
        if self.sticky:
            return [((cc, nodes, line, zones, old_leader), mpf(1))]
        up = self.up_nodes(base)  # uniform leader: re-placed on the up nodes
        return [((cc, nodes, line, zones, l), mpf(1) / len(up)) for l in up]

    def transitions(self, s):
        """[(target, rate)] for the unlumped chain."""
        cc, nodes, line, zones, leader = s
        out = []

        def emit(target_nodes, target_line, target_zones, target_cc, rate, lost):
            t = (target_cc, target_nodes, target_line, target_zones, None)
            for state, p in self.with_leader(t, leader, lost):
                out.append((state, rate * p))

        if self.zone_rates:
            a, b = self.zone_rates
            for z in range(self.zones):
                zs = list(zones)
                zs[z] = 1 - zs[z]
                leader_in_zone = leader is not None and self.zone_of[leader] == z
                emit(nodes, line, tuple(zs), cc, a if zones[z] == 0 else b, zones[z] == 0 and leader_in_zone)
        if cc:
            emit(tuple([UP] * self.n), (), zones, False, self.cc[1], True)
            return out
        if self.cc:
            emit(tuple([UP] * self.n), (), zones, True, self.cc[0], True)
        if self.election is not None and leader is None and self.is_up(s):
            up = self.up_nodes(s)
            for l in up:
                out.append(((cc, nodes, line, zones, l), self.election / len(up)))
        for i in range(self.n):
            if nodes[i] == UP:
                for j, (lam, mu, crew) in enumerate(self.modes, start=1):
                    ns = list(nodes)
                    ns[i] = j
                    new_line = line + (i,) if crew else line
                    if self.crews >= self.n:
                        new_line = tuple(sorted(new_line))  # a crew for every node: nobody waits, the line is a set
                    emit(tuple(ns), new_line, zones, False, lam, leader == i)
            elif nodes[i] >= 1:
                lam, mu, crew = self.modes[nodes[i] - 1]
                if crew and i not in line[: self.crews]:
                    continue  # waiting for a crew
                ns = list(nodes)
                ns[i] = UP
                new_line = tuple(x for x in line if x != i) if crew else line
                emit(tuple(ns), new_line, zones, False, mu, False)
        return out

    def all_up(self):
        return (False, tuple([UP] * self.n), (), tuple([0] * self.zones), 0 if self.election is not None else None)


def explore(model, starts):
    index, states = {}, []
    for s in starts:
        if s not in index:
            index[s] = len(states)
            states.append(s)
    rows = []
    i = 0
    while i < len(states):
        row = {}
        for t, r in model.transitions(states[i]):
            if r == 0:
                continue
            if t not in index:
                index[t] = len(states)
                states.append(t)
            j = index[t]
            if j != i:
                row[j] = row.get(j, mpf(0)) + r
        rows.append(row)
        i += 1
    return states, index, rows


def stationary(rows):
    n = len(rows)
    a = matrix(n, n)
    for i, row in enumerate(rows):
        out = mpf(0)
        for j, r in row.items():
            a[j, i] += r  # transpose: column i of Q is row i of A^T
            out += r
        a[i, i] -= out
    for i in range(n):
        a[n - 1, i] = 1
    b = matrix(n, 1)
    b[n - 1] = 1
    return lu_solve(a, b)


def mean_time_to_failure(model, states, index, rows):
    up = [i for i, s in enumerate(states) if model.is_up(s)]
    pos = {i: p for p, i in enumerate(up)}
    m = len(up)
    a = matrix(m, m)
    for p, i in enumerate(up):
        out = mpf(0)
        for j, r in rows[i].items():
            out += r
            if j in pos:
                a[p, pos[j]] -= r
        a[p, p] += out
    ones = matrix([1] * m)
    t = lu_solve(a, ones)
    return t[pos[index[model.all_up()]]]


def figures(model):
    states, index, rows = explore(model, [model.all_up()])
    pi = stationary(rows)
    a = sum(pi[i] for i, s in enumerate(states) if model.is_up(s))
    u = sum(pi[i] for i, s in enumerate(states) if not model.is_up(s))
    f = mpf(0)
    for i, s in enumerate(states):
        if model.is_up(s):
            f += pi[i] * sum(r for j, r in rows[i].items() if not model.is_up(states[j]))
    result = {"states": len(states), "A": a, "U": u, "F": f, "MTTF": mean_time_to_failure(model, states, index, rows)}
    if model.election is not None:
        qa = sum(pi[i] for i, s in enumerate(states) if model.is_up(s) and s[4] is not None)
        qu = sum(pi[i] for i, s in enumerate(states) if not (model.is_up(s) and s[4] is not None))
        result["QA"], result["QU"] = qa, qu
    return result, (states, index, rows, pi)


def maintenance(model, every, duration, order, start=None):
    """The phase mixture of maintenance.ts, on the unlumped chain: node order[i] restarted in slot i.
    `start`: the distribution a round starts from (default: the steady state)."""
    steady, (states, index, rows, pi) = figures(model)
    dist = {s: pi[i] for i, s in enumerate(states)} if start is None else dict(start)
    down_time, up_time, q_down, outages = mpf(0), mpf(0), mpf(0), mpf(0)
    for node in order:
        # the restart: held if its process is up (planned: the leader is handed over)
        moved = {}
        for s, p in dist.items():
            cc, nodes, line, zones, leader = s
            if not cc and nodes[node] == UP:
                ns = list(nodes)
                ns[node] = HELD
                t = (cc, tuple(ns), line, zones, None)
                targets = model.with_leader(t, leader, False)
                if model.is_up(s) and not model.is_up(t):
                    outages += p
            else:
                targets = [(s, mpf(1))]
            for t, w in targets:
                moved[t] = moved.get(t, mpf(0)) + p * w
        sts, idx, rws = explore(model, list(moved))
        m = len(sts)
        big = matrix(2 * m, 2 * m)
        for i, row in enumerate(rws):
            out = mpf(0)
            for j, r in row.items():
                big[i, j] += r
                out += r
            big[i, i] -= out
            big[i, m + i] = 1
        e = expm(big * duration)
        p0 = [moved.get(s, mpf(0)) for s in sts]
        end = [sum(p0[i] * e[i, j] for i in range(m)) for j in range(m)]
        integral = [sum(p0[i] * e[i, m + j] for i in range(m)) for j in range(m)]
        for j, s in enumerate(sts):
            if model.is_up(s):
                up_time += integral[j]
                outages += integral[j] * sum(r for t, r in rws[j].items() if not model.is_up(sts[t]))
            else:
                down_time += integral[j]
            if not (model.is_up(s) and s[4] is not None):
                q_down += integral[j]
        dist = {}
        for j, s in enumerate(sts):
            cc, nodes, line, zones, leader = s
            ns = tuple(UP if x == HELD else x for x in nodes)
            t = (cc, ns, line, zones, None)
            for state, w in model.with_leader(t, leader, False):
                dist[state] = dist.get(state, mpf(0)) + end[j] * w
    # relaxation back to pi: y Q = pi - p_end, sum y = 0 (on the unlumped chain)
    n = len(states)
    a = matrix(n, n)
    for i, row in enumerate(rows):
        out = mpf(0)
        for j, r in row.items():
            a[j, i] += r
            out += r
        a[i, i] -= out
    b = matrix(n, 1)
    for i, s in enumerate(states):
        b[i] = pi[i] - dist.get(s, mpf(0))
    for i in range(n):
        a[n - 1, i] = 1
    b[n - 1] = 0
    y = lu_solve(a, b)
    relax_down = sum(y[i] for i, s in enumerate(states) if not model.is_up(s))
    relax_out = mpf(0)
    for i, s in enumerate(states):
        if model.is_up(s):
            relax_out += y[i] * sum(r for j, r in rows[i].items() if not model.is_up(states[j]))
    rest = every - len(order) * duration
    result = {
        "U": (down_time + rest * steady["U"] + relax_down) / every,
        "A": (up_time + rest * steady["A"] - relax_down) / every,
        "F": (outages + rest * steady["F"] + relax_out) / every,
        "relaxation": relax_down / every,
    }
    if model.election is not None:
        result["QU"] = (q_down + rest * steady["QU"] + relax_down) / every
    result["_window_down"], result["_end"] = down_time, dist
    return result


def periodic(model, every, duration, order, rounds=6):
    """The EXACT periodic steady state (no steady-start assumption): rounds are repeated, each
    window followed by the chain evolving for every - n*duration (mpmath expm), from the
    steady state on, until the round-start distribution stops changing; then the period's
    time-average unavailability. Measures the phase mixture's own approximation error."""
    steady, (states, index, rows, pi) = figures(model)
    n = len(states)
    big = matrix(2 * n, 2 * n)
    for i, row in enumerate(rows):
        out = mpf(0)
        for j, r in row.items():
            big[i, j] += r
            out += r
        big[i, i] -= out
        big[i, n + i] = 1
    rest = every - len(order) * duration
    e = expm(big * rest)
    start = {s: pi[i] for i, s in enumerate(states)}
    for _ in range(rounds):
        r = maintenance(model, every, duration, order, start)
        end = [r["_end"].get(s, mpf(0)) for s in states]
        nxt = [sum(end[i] * e[i, j] for i in range(n)) for j in range(n)]
        integral = [sum(end[i] * e[i, n + j] for i in range(n)) for j in range(n)]
        rest_down = sum(integral[j] for j, s in enumerate(states) if not model.is_up(s))
        u = (r["_window_down"] + rest_down) / every
        start = {s: nxt[j] for j, s in enumerate(states)}
    return {"U_periodic": u}


HW = (1 / (2 * Y), mpf(1) / 8, True)          # hardware: every 2 years, 8 h, crew
DISK = (1 / (5 * Y), mpf(1) / 24, True)       # disk: every 5 years, 24 h, crew
CRASH = (6 / Y, mpf(30), False)               # process crash: 6 a year, 2 min, by itself
MODELS = {
    # several failure modes, one crew, common cause (3 nodes, majority)
    "M1": lambda: Model(3, 2, [HW, DISK, CRASH], 1, cc=(mpf("0.05") / Y, mpf(1) / 4)),
    # five nodes over zones 2+2+1, independent repair, zone outages
    "M2": lambda: Model(5, 3, [(2 / Y, mpf(1) / 8, True)], 5, zone_of=[0, 0, 1, 1, 2], zone_rates=(1 / Y, mpf(1) / 2)),
    # the same with a common cause (no longer independent nodes)
    "M2cc": lambda: Model(5, 3, [(2 / Y, mpf(1) / 8, True)], 5, zone_of=[0, 0, 1, 1, 2], zone_rates=(1 / Y, mpf(1) / 2), cc=(mpf("0.05") / Y, mpf(1) / 4)),
    # three nodes over zones 1+1+1, two modes, one crew, common cause, failover 15 s
    "M3": lambda: Model(3, 2, [HW, CRASH], 1, zone_of=[0, 1, 2], zone_rates=(1 / Y, mpf(1) / 2), cc=(mpf("0.05") / Y, mpf(1) / 4), election=mpf(240)),
    # a queue with failover, no zones, the leader staying where it is (sticky)
    "M4": lambda: Model(3, 2, [HW, CRASH], 1, cc=(mpf("0.05") / Y, mpf(1) / 4), election=mpf(240), sticky_leader=True),
    # the common-cause chain of test/formulas/ctmc.test.ts (3 nodes, one crew)
    "M5": lambda: Model(3, 2, [(mpf("0.00005"), mpf("0.25"), True)], 1, cc=(mpf("0.00001"), mpf("0.5"))),
    # shared crew across zones: 4 nodes over 2+1+1, one crew (the line's zone order matters)
    "M6": lambda: Model(4, 3, [(2 / Y, mpf(1) / 8, True)], 1, zone_of=[0, 0, 1, 2], zone_rates=(1 / Y, mpf(1) / 2)),
}
MAINTENANCE = {
    # 3 nodes, two modes, one crew, monthly restarts of 10 minutes
    "R1": lambda: (Model(3, 2, [HW, CRASH], 1), 720, mpf(1) / 6, [0, 1, 2]),
    # the same with failover 15 s
    "R2": lambda: (Model(3, 2, [CRASH, (1 / (2 * Y), mpf(1) / 8, True)], 1, election=mpf(240)), 720, mpf(1) / 6, [0, 1, 2]),
    # three nodes over zones 2+1 with outages and a common cause, restarted in node order
    # (zones 1, 1, 2: the first zone is half done after slot 1), two-hour restarts every two days
    "R3": lambda: (
        Model(3, 2, [(2 / Y, mpf(1) / 8, True)], 3, zone_of=[0, 0, 1], zone_rates=(1 / Y, mpf(1) / 2), cc=(mpf("0.05") / Y, mpf(1) / 4)),
        48,
        mpf(2),
        [0, 1, 2],
    ),
    # R3's zones with failover 15 s, zones that fail often (every 100 h, 2 h) and crash-only
    # nodes: the queue's window where the zone factorisation of maintenance.ts matters
    "R4": lambda: (
        Model(3, 2, [CRASH], 3, zone_of=[0, 0, 1], zone_rates=(mpf(1) / 100, mpf(1) / 2), cc=(mpf("0.05") / Y, mpf(1) / 4), election=mpf(240)),
        48,
        mpf(2),
        [0, 1, 2],
    ),
}


def main(names):
    for name in names or [*MODELS, *MAINTENANCE, "R3periodic"]:
        if name in MODELS:
            result, _ = figures(MODELS[name]())
        elif name.endswith("periodic"):
            model, every, duration, order = MAINTENANCE[name[: -len("periodic")]]()
            result = periodic(model, every, duration, order)
        else:
            model, every, duration, order = MAINTENANCE[name]()
            result = {k: v for k, v in maintenance(model, every, duration, order).items() if not k.startswith("_")}
        for key, value in result.items():
            print(f"{name} {key} {value if isinstance(value, int) else nstr(value, 40)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
