"""Reference Student t quantiles in 60-digit arithmetic, independent of scipy and @stdlib.

usage: python3 test/stats/reference/student_t_quantile.py P DOF [P DOF ...]

P and DOF are read as doubles (as JavaScript reads the same text), then used exactly.

Solves for t > 0 by root-finding in log t (mpmath.findroot, secant method), on
  centre (|p - 1/2| >= 1e-3 away from the tails):  1/2 * I_{t^2/(nu+t^2)}(1/2, nu/2) = |p - 1/2|
  tails:                                          1/2 * I_{nu/(nu+t^2)}(nu/2, 1/2)  = min(p, 1 - p)
(Abramowitz & Stegun 26.7.1 with 26.5.27), with the regularized incomplete beta function
mpmath.betainc(..., regularized=True); the sign follows p - 1/2. Prints 20 digits.
"""
import sys

import mpmath

mpmath.mp.dps = 60


def student_t_quantile(p, nu):
    nu = mpmath.mpf(float(nu))  # the double that JavaScript reads from the same text
    p = mpmath.mpf(float(p))
    half = mpmath.mpf(1) / 2
    if p == half:
        return mpmath.mpf(0)
    tail = min(p, 1 - p)
    distance = half - tail
    if tail > mpmath.mpf("1e-3"):
        def f(log_t):
            t = mpmath.e**log_t
            return mpmath.log(mpmath.betainc(half, nu / 2, 0, t * t / (nu + t * t), regularized=True) / 2) - mpmath.log(distance)
        start = mpmath.log(distance * mpmath.sqrt(2 * mpmath.pi))
    else:
        def f(log_t):
            t = mpmath.e**log_t
            return mpmath.log(mpmath.betainc(nu / 2, half, 0, nu / (nu + t * t), regularized=True) / 2) - mpmath.log(tail)
        start = -mpmath.log(tail) / nu if nu < 2 else mpmath.log(mpmath.sqrt(-2 * mpmath.log(tail)))
    t = mpmath.e ** mpmath.findroot(f, start, tol=mpmath.mpf(10) ** -50)
    return -t if p < half else t


if __name__ == "__main__":
    args = sys.argv[1:]
    for i in range(0, len(args), 2):
        print(args[i], args[i + 1], mpmath.nstr(student_t_quantile(args[i], args[i + 1]), 20))
