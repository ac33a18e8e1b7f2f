import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExactSum } from "../../src/stats/exactSum.js";

/*
 * References: CPython's math.fsum, which returns the correctly rounded exact sum.
 *   python3 -c "import random, math, json; random.seed(20261126); ..." (cases 1–4: 25 values
 *   each of random sign and magnitude 1e-20 … 1e20), printed with json.dumps; the script's
 *   output is pasted below unchanged.
 */
const CASES: [number[], number][] = [
  [
    [
      -4.4486162835122755e18, 0.8557833603869724, 0.006322626592702454, 4.081290464481256e-6, 5359269727233870.0, -393.7544278247693,
      -2.043002135557219e-17, 7.119740230812091e-15, -97040.41302377668, -5.258100134563226e-5, 4.164727054247673e-20,
      4.589720468148534e-10, 1.3546806731434035e18, -792529760.957839, -4027611360345845.0, -4304668.090718472, 4.942629347445948e17,
      53245838881339.12, 0.00042003851117088564, -1159733.4947353266, -3979742301626695.5, 2.6584895918899678e-5, 3.327823265399096e-5,
      21.183412516267207, 5545023353236.548,
    ],
    -2.6022619694948726e18,
  ],
  [
    [
      3.8503658240498394e-20, -15.28988364759768, -798957219443522.8, -9.802202304832893e-15, 3.9740399852498355e17, 9515526043601.553,
      -13830.768897186452, 9.635813642378758e-7, 9.692486755790038e-13, -8.3051801907716e-19, 6.282742398856924e18, -8.153005091036221e-21,
      1.3085754072071177e-5, 627168622882.8124, 5.310018744864683e-17, -9.359450149605603e-5, -2.68246934242108e-20, -85749259983975.97,
      -1781154.0843306384, -7.763405984900903e-17, -9666.51838516186, -0.15848524945179843, 483216312638.5659, 7.256829410894848e-21,
      3.00548617064187e-20,
    ],
    6.679272316811655e18,
  ],
  [
    [
      -628391103158257.6, -8.174592833067219e-17, 472227425.7581577, -5.517027748646735e-6, 3000.1795964714483, -28027603174309.656,
      -6.067687136298017e17, 0.00881092483568171, 2143295917843.8694, -4.394190417765288e-12, -5.781175936873471e-6, -8.543234411539932e-7,
      337306084.7214957, -1.6795084921389303e-11, 815397.250702472, 6.841377987845149e-21, -6.969021696494587e-11, 0.04551860396849272,
      -4.218556540924425e-11, 6.325523787847655e-16, 686215985.9648741, 91557852214081.42, -7.208913321784273e-17, -58239124630819.03,
      -6.013637240148388e17,
    ],
    -1.208753392830904e18,
  ],
  [
    [
      81387.33925590194, -569109370336999.2, -4.384035968338735e18, -4.827213588432837e-14, 19251425.045441084, 5.77116356046785e-13,
      7.78209725742734e-21, -6.326238834889899e-10, 73207769343719.14, -422798.7178029292, 0.009474634356650071, 3.266752988374618e17,
      3.4911292078916534e-15, -717885580178.2709, -477.33173406889875, 8.89107230187361e-20, 7469271052865.267, 0.0006357489242623991,
      -8.574466940816695e-17, 9.18098368517285e-16, -51896390112483.016, 9747763315982822.0, -2810930897217.93, -9.649023844754884,
      -94571230676.9582,
    ],
    -4.0481568582741417e18,
  ],
  // cancellation: the 1 and 3 survive the ±1e100 pair (naive summation gives 3 or 0)
  [[1e100, 1.0, -1e100, 1e-100, 3.0, -1e-100], 4.0],
  // ten times 0.1 is exactly 1.0000000000000000555…; nearest double 1 (naive: 0.9999999999999999)
  [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], 1.0],
  // 1 + 2^-53 is a tie that rounds to even (1); a further 2^-105 pushes it up
  [[1.0, 2 ** -53, 2 ** -105], 1.0000000000000002],
  [[1.0, 2 ** -53], 1.0],
];

function sumOf(values: readonly number[]): number {
  const sum = new ExactSum();
  for (const value of values) sum.add(value);
  return sum.value();
}

describe("ExactSum", () => {
  it("when values of every magnitude and sign are added then the result is the correctly rounded exact sum (CPython fsum)", () => {
    for (const [values, expected] of CASES) expect(sumOf(values)).toBe(expected);
  });

  it("when the same values are added in another order or split over merged accumulators then the bits are the same", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e200, max: 1e200 });
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 40 }), fc.nat(), (values, cut) => {
        const whole = sumOf(values);
        expect(sumOf([...values].reverse())).toBe(whole);
        const at = values.length === 0 ? 0 : cut % (values.length + 1);
        const left = new ExactSum();
        const right = new ExactSum();
        for (const value of values.slice(0, at)) left.add(value);
        for (const value of values.slice(at)) right.add(value);
        right.merge(left);
        expect(right.value()).toBe(whole);
        // JSON has no −0 (JSON.stringify(-0) is "0"): a zero sum comes back as +0
        expect(ExactSum.fromJSON(JSON.parse(JSON.stringify(right))).value()).toBe(whole === 0 ? 0 : whole);
      }),
    );
  });

  it("when nothing was added then the sum is 0, and a non-finite value is refused", () => {
    expect(new ExactSum().value()).toBe(0);
    expect(() => new ExactSum().add(Number.NaN)).toThrow(/finite/);
  });
});
