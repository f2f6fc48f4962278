# SPDX-License-Identifier: MIT
"""Fits BG/NBD + Gamma-Gamma to the CDNOW summary from Python (ctypes, no compiled extension) and
prints P(alive), next-year purchases and CLV for a few customers.
Run from the repository root:
  PATRON_C_LIBRARY=build/src/capi/libpatron_c.so.1 python3 examples/python/cdnow_clv.py [summary.csv]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from patron_ctypes import BgNbd, GammaGamma, PatronError, read_summary, version  # noqa: E402


def main(argv):
    path = argv[1] if len(argv) > 1 else "../shared/data/cdnow_customers_summary_with_transactions.csv"
    try:
        s = read_summary(path)
        bg = BgNbd.fit(s["x"], s["t_x"], s["T"])
        gg = GammaGamma.fit(s["x"], s["monetary"])
        alive = bg.p_alive(s["x"], s["t_x"], s["T"])
        next_year = bg.expected_purchases(52, s["x"], s["t_x"], s["T"])
        value = bg.clv(gg, 0.10, 0.30, s["x"], s["t_x"], s["T"], s["monetary"])
    except PatronError as e:  # the library's message, e.g. which row and field is wrong
        print("patron failed (%s): %s" % (e.name, e), file=sys.stderr)
        return 1
    r, alpha, a, b = bg.report["params"]
    print("patron %s, BG/NBD (%s): r=%.3f alpha=%.3f a=%.3f b=%.3f LL=%.1f"
          % (version(), bg.report["status"], r, alpha, a, b, bg.report["log_likelihood"]))
    print("%-6s %4s %7s %8s %9s %10s" % ("id", "x", "t_x", "P(alive)", "E[X(52)]", "CLV(30%)"))
    for i in range(6):
        print("%-6s %4.0f %7.2f %8.3f %9.3f %10.2f"
              % (s["id"][i], s["x"][i], s["t_x"][i], alive[i], next_year[i], value[i]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
