"""Exact unavailability and mean time to losing quorum of a k-of-n repairable cluster
with shared repair crews (a birth–death chain: i → i−1 at i·λ, i → i+1 at
min(crews, n−i)·μ, up while i ≥ k), in 50-digit arithmetic. The reference quoted by
bench/models/quorum-5-*.yaml (the tests recompute it in BigInt rationals).

  π_{i−1} = π_i · i·λ / (min(crews, n−i+1)·μ)     (detailed balance)
  MTTF from all-up: t_i = mean first passage from i to k−1, by the recurrence of a
  birth–death chain: with q_i = i·λ, p_i = min(crews, n−i)·μ,
  d_i = t_i − t_{i−1} (time to go from i down to i−1) = (1 + p_i·d_{i+1}) / q_i, d_n = 1/q_n.

Usage: python3 test/reference/kofn_chain.py n k mtbf_hours mttr_hours crews
"""
import sys
from mpmath import mp, mpf

mp.dps = 50


def solve(n, k, mtbf, mttr, crews):
    lam = 1 / mpf(mtbf)
    mu = 1 / mpf(mttr)
    w = [mpf(0)] * (n + 1)
    w[n] = mpf(1)
    for i in range(n, 0, -1):
        w[i - 1] = w[i] * (i * lam) / (min(crews, n - (i - 1)) * mu)
    u = sum(w[:k]) / sum(w)
    # d[i]: mean time from i to i−1
    d = [mpf(0)] * (n + 1)
    d[n] = 1 / (n * lam)
    for i in range(n - 1, k - 1, -1):
        d[i] = (1 + min(crews, n - i) * mu * d[i + 1]) / (i * lam)
    mttf = sum(d[k:])
    return u, mttf


if __name__ == "__main__":
    n, k, mtbf, mttr, crews = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
    u, mttf = solve(n, k, mtbf, mttr, crews)
    print(f"unavailability {mp.nstr(u, 15)}")
    print(f"mttf_hours {mp.nstr(mttf, 15)}")
