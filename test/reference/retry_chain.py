"""Exact retry failure probability of a client whose attempts also fail while the cluster
is down, for the k-of-n repairable cluster chain (docs/design.md §2, availability.ctmc), in
40-digit arithmetic. An independent reference for the simulator's realistic retries.

A sequence starts at a stationary random time; attempt j starts at offset s_j (timeout +
capped exponential backoff, no attempt at or after the deadline) and succeeds when the
cluster has quorum at s_j AND the attempt's own transient success (probability p) happens.

  P(all fail) = π · F · e^{Q (s_2 − s_1)} · F · … · F · 1,  F = diag(1 − p if up else 1)

Usage: python3 test/reference/retry_chain.py n k lambda mu crews lambda_cc mu_cc p attempts timeout b0 mult bmax deadline
(rates per hour, times in hours)
"""
import sys
import mpmath as mp

mp.mp.dps = 40


def chain(n, k, lam, mu, crews, lcc, mucc):
    size = n + 2  # i = 0..n up, n+1 = C
    Q = mp.zeros(size, size)
    for i in range(n + 1):
        if i > 0:
            Q[i, i - 1] = i * lam
        if i < n:
            Q[i, i + 1] = min(crews, n - i) * mu
        if lcc > 0:
            Q[i, n + 1] = lcc
    Q[n + 1, n] = mucc if lcc > 0 else 0
    for i in range(size):
        Q[i, i] = -sum(Q[i, j] for j in range(size) if j != i)
    return Q


def stationary(Q):
    size = Q.rows
    A = Q.T.copy()
    for j in range(size):
        A[size - 1, j] = 1
    b = mp.zeros(size, 1)
    b[size - 1] = 1
    return mp.lu_solve(A, b)


def starts(attempts, timeout, b0, mult, bmax, deadline):
    out, s, b = [], mp.mpf(0), mp.mpf(b0)
    cutoff = mp.mpf(deadline) * (1 - mp.mpf("1e-12"))
    while len(out) < attempts and s < cutoff:
        out.append(s)
        s += timeout + min(b, bmax)
        b *= mult
    return out


def num(text):
    """'a/b' or a decimal, exactly: mpmath reads '0.1/8766' only as a fraction of integers."""
    if "/" in text:
        a, b = text.split("/")
        return mp.mpf(a) / mp.mpf(b)
    return mp.mpf(text)


def main(argv):
    n, k = int(argv[0]), int(argv[1])
    lam, mu = num(argv[2]), num(argv[3])
    crews = int(argv[4])
    lcc, mucc = num(argv[5]), num(argv[6])
    p = num(argv[7])
    schedule = starts(int(argv[8]), *[num(x) for x in argv[9:14]])
    Q = chain(n, k, lam, mu, crews, lcc, mucc)
    pi = stationary(Q)
    size = Q.rows
    up = [1 if (i <= n and i >= k) else 0 for i in range(size)]
    v = mp.matrix([[pi[i] for i in range(size)]])
    for j, s in enumerate(schedule):
        if j > 0:
            v = v * mp.expm(Q * (s - schedule[j - 1]))
        v = mp.matrix([[v[0, i] * ((1 - p) if up[i] else 1) for i in range(size)]])
    fail = sum(v[0, i] for i in range(size))
    unavailability = sum(pi[i] for i in range(size) if not up[i])
    print("attempts made:", len(schedule))
    print("unavailability:", mp.nstr(unavailability, 30))
    print("P(all attempts fail):", mp.nstr(fail, 30))


if __name__ == "__main__":
    main(sys.argv[1:])
