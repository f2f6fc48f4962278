# SPDX-License-Identifier: MIT
"""The ctypes binding (examples/python/patron_ctypes.py) against libpatron_c, run by CTest with
Debian's /usr/bin/python3, once with numpy and once with PATRON_NO_NUMPY=1 (plain lists).
Usage: python3 test_patron_ctypes.py <examples/python dir> <data dir> <scratch dir>"""
import math
import os
import sys
import unittest

sys.path.insert(0, sys.argv[1])
DATA, SCRATCH = sys.argv[2], sys.argv[3]
del sys.argv[1:4]
import patron_ctypes as pc  # noqa: E402

CDNOW = os.path.join(DATA, "cdnow_customers_summary_with_transactions.csv")


class Reference(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = pc.read_summary(CDNOW)

    def test_numpy_mode_is_what_was_asked(self):
        self.assertEqual(pc._np is None, bool(os.environ.get("PATRON_NO_NUMPY")))
        if pc._np is None:
            self.assertIsInstance(self.s["x"], list)

    def test_bgnbd_fit_matches_the_paper(self):
        # Fader, Hardie & Lee (2005), Marketing Science 24(2), section 4.
        bg = pc.BgNbd.fit(self.s["x"], self.s["t_x"], self.s["T"])
        r, alpha, a, b = bg.report["params"]
        self.assertEqual(bg.report["status"], "converged")
        self.assertAlmostEqual(r, 0.243, delta=0.0005)
        self.assertAlmostEqual(alpha, 4.414, delta=0.0005)
        self.assertAlmostEqual(a, 0.793, delta=0.0005)
        self.assertAlmostEqual(b, 2.426, delta=0.0005)
        self.assertAlmostEqual(bg.report["log_likelihood"], -9582.4, delta=0.05)
        self.assertEqual(bg.report["n_customers"], 2357)
        alive = bg.p_alive(self.s["x"], self.s["t_x"], self.s["T"])
        self.assertEqual(len(alive), 2357)
        self.assertTrue(all(0 <= p <= 1 for p in alive))

    def test_expected_purchases_of_the_papers_customer(self):
        # FHL (2005) section 5: x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in 39 weeks.
        bg = pc.BgNbd.new([0.243, 4.414, 0.793, 2.426])
        e = bg.expected_purchases(39, [2], [30.43], [38.86])
        self.assertAlmostEqual(e[0], 1.226, delta=0.0005)

    def test_gamma_gamma(self):
        # FHL (2005) JMR 42(4): p = 6.25, q = 3.74, gamma = 15.44 on 946 repeaters.
        gg = pc.GammaGamma.fit(self.s["x"], self.s["monetary"])
        p, q, g = gg.report["params"]
        self.assertAlmostEqual(p, 6.25, delta=0.005)
        self.assertAlmostEqual(q, 3.74, delta=0.005)
        self.assertAlmostEqual(g, 15.44, delta=0.01)
        self.assertEqual(gg.report["n_used"], 946)
        # By hand: (p*gamma + p*x*m)/(p*x + q - 1) = (96.5 + 279.375)/15.24 for x = 2, m = 22.35.
        fixed = pc.GammaGamma.new([6.25, 3.74, 15.44])
        self.assertAlmostEqual(fixed.expected_spend([2], [22.35])[0], 375.875 / 15.24, delta=1e-9)

    def test_mbgnbd_p_alive_closed_form(self):
        # Batislam et al. (2007): 1/(1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)), evaluated here.
        r, alpha, a, b = 0.525, 6.183, 0.891, 1.614
        m = pc.MbgNbd.new([r, alpha, a, b])
        x, t_x, T = [0, 3], [0, 20.0], [30.0, 35.0]
        got = m.p_alive(x, t_x, T)
        for i in range(2):
            want = 1 / (1 + a / (b + x[i]) * ((alpha + T[i]) / (alpha + t_x[i])) ** (r + x[i]))
            self.assertAlmostEqual(got[i], want, delta=1e-12)

    def test_pareto_nbd_and_clv(self):
        pn = pc.ParetoNbd.new([0.553, 10.578, 0.606, 11.669])
        gg = pc.GammaGamma.new([6.25, 3.74, 15.44])
        x, t_x, T, m = self.s["x"][:20], self.s["t_x"][:20], self.s["T"][:20], self.s["monetary"][:20]
        value = pn.clv(gg, 0.10, 1.0, x, t_x, T, m)
        delta = math.log(1.1) * 7 / 365.25  # 10 % a year as a continuous weekly rate
        dert = pn.dert(delta, x, t_x, T)
        spend = gg.expected_spend(x, m)
        for i in range(20):  # CLV = DERT x expected spend x margin
            self.assertAlmostEqual(value[i], dert[i] * spend[i], delta=1e-9 * value[i])

    def test_save_load_and_json(self):
        bg = pc.BgNbd.new([0.243, 4.414, 0.793, 2.426])
        path = os.path.join(SCRATCH, "py_bgnbd.json")
        bg.save(path)
        self.assertEqual(pc.BgNbd.load(path).params, ([0.243, 4.414, 0.793, 2.426], 7.0))
        text = bg.to_json()
        self.assertIn("bgnbd", text)
        self.assertEqual(pc.BgNbd.from_json(text).params[0], [0.243, 4.414, 0.793, 2.426])
        with self.assertRaises(pc.PatronError) as e:
            pc.ParetoNbd.load(path)
        self.assertEqual(e.exception.name, "bad_model")
        self.assertIn("patron_bgnbd_load", str(e.exception))


class Errors(unittest.TestCase):
    def test_nan_raises_with_the_library_message(self):
        bg = pc.BgNbd.new([0.243, 4.414, 0.793, 2.426])
        with self.assertRaises(pc.PatronError) as e:
            bg.p_alive([1, float("nan")], [1, 1], [5, 5])
        self.assertEqual(e.exception.status, 9)
        self.assertEqual(e.exception.name, "out_of_range")
        self.assertIn("patron_bgnbd_p_alive:2: x = ", str(e.exception))

    def test_bad_parameters_and_files(self):
        with self.assertRaises(pc.PatronError) as e:
            pc.BgNbd.new([0.243, -1, 0.793, 2.426])
        self.assertEqual(e.exception.name, "invalid_argument")
        with self.assertRaises(pc.PatronError) as e:
            pc.BgNbd.new([1, 2, 3])
        self.assertIn("n_params = 3", str(e.exception))
        with self.assertRaises(pc.PatronError) as e:
            pc.read_summary("/nonexistent/summary.csv")
        self.assertEqual(e.exception.name, "io_error")
        self.assertIn("/nonexistent/summary.csv", str(e.exception))

    def test_lengths_and_empty_input(self):
        bg = pc.BgNbd.new([0.243, 4.414, 0.793, 2.426])
        with self.assertRaises(ValueError):
            bg.p_alive([1, 2], [1], [5, 5])
        self.assertEqual(len(bg.p_alive([], [], [])), 0)
        with self.assertRaises(pc.PatronError):
            pc.BgNbd.fit([], [], [])
        with self.assertRaises(TypeError):
            bg.clv(bg, 0.1, 1, [1], [1], [2], [10])


if __name__ == "__main__":
    unittest.main(verbosity=1)
