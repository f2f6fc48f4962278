// SPDX-License-Identifier: MIT
// Campaign metrics. Every expected number is worked out by hand from the fixture below (the
// counts and ratios) or, for the interval and the p-value, computed independently with Python's
// math module: math.sqrt, math.erfc, and statistics.NormalDist().cdf as a cross-check of erfc.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "patron/campaign.hpp"
#include "patron/error.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Message;
namespace pc = patron::campaign;

namespace {

// Spring: treatment 1-4, control 5, 6, 9. Summer: treatment only (7, 8), with other spellings of
// the flags, an empty group field (= treatment) and a count of 2 conversions (counts once).
const char* const fixture =
    "customer_id,campaign,group,segment,sent,delivered,opened,clicked,converted,revenue,cost\r\n"
    "1,spring,treatment,gold,1,1,1,1,1,100,2\r\n"
    "2,spring,treatment,gold,1,1,1,0,0,,2\r\n"
    "3,spring,treatment,silver,1,0,0,0,0,0,2\r\n"
    "4,spring,treatment,silver,1,1,0,0,1,50,2\r\n"
    "5,spring,control,gold,0,0,0,0,1,80,0\r\n"
    "6,spring,Control,silver,0,0,0,0,0,0,0\r\n"
    "7,summer,test,gold,yes,yes,no,no,no,0,1.5\r\n"
    "8,summer,,silver,1,1,TRUE,1,2,30,1.5\r\n"
    "9,spring,holdout,silver,0,,,,0,0,0\r\n";

}  // namespace

TEST_CASE("campaign: funnel rates · CPA · ROI per campaign from a hand-worked table", "[campaign][unit]") {
  const pc::event_table e = pc::read_events_from_string(fixture, {}, "events.csv");
  REQUIRE(e.size() == 9);
  CHECK(e.has_control);
  CHECK(e.has_segment);
  CHECK(e.has_delivered);
  const pc::report r = pc::evaluate(e);
  REQUIRE(r.campaigns.size() == 2);
  const pc::metrics& spring = r.campaigns[0];
  CHECK(spring.campaign == "spring");
  // Treatment rows 1-4: sent 4, delivered 3, opened 2, clicked 1, converted 2, revenue 150, cost 8.
  CHECK(spring.targeted == 4);
  CHECK(spring.sent == 4);
  CHECK(spring.delivered == 3);
  CHECK(spring.opened == 2);
  CHECK(spring.clicked == 1);
  CHECK(spring.converted == 2);
  CHECK(spring.revenue == 150.0);
  CHECK(spring.cost == 8.0);
  CHECK(spring.delivery_rate == Approx(0.75));
  CHECK(spring.open_rate == Approx(2.0 / 3.0));
  CHECK(spring.click_through_rate == Approx(1.0 / 3.0));
  CHECK(spring.click_to_open_rate == Approx(0.5));
  CHECK(spring.conversion_rate == Approx(0.5));
  CHECK(spring.cost_per_acquisition == Approx(4.0));
  CHECK(spring.roi == Approx((150.0 - 8.0) / 8.0));
  CHECK(spring.control_customers == 3);
  CHECK(spring.control_converted == 1);
  CHECK(spring.control_revenue == 80.0);

  const pc::metrics& summer = r.campaigns[1];
  CHECK(summer.targeted == 2);
  CHECK(summer.delivered == 2);
  CHECK(summer.opened == 1);
  CHECK(summer.converted == 1);  // "2" is a count: one converted customer
  CHECK(summer.delivery_rate == Approx(1.0));
  CHECK(summer.open_rate == Approx(0.5));
  CHECK(summer.click_to_open_rate == Approx(1.0));
  CHECK(summer.cost_per_acquisition == Approx(3.0));
  CHECK(summer.roi == Approx(9.0));
  CHECK_FALSE(summer.uplift.has_value());  // no control rows in this campaign

  CHECK(r.overall.campaign == "*");
  CHECK(r.overall.targeted == 6);
  CHECK(r.overall.converted == 3);
  CHECK(r.overall.revenue == 180.0);
  CHECK(r.overall.cost == 11.0);
}

TEST_CASE("campaign: uplift over the control group · interval and z-test from Python", "[campaign][reference]") {
  const pc::report r = pc::evaluate(pc::read_events_from_string(fixture));
  REQUIRE(r.campaigns[0].uplift.has_value());
  const pc::uplift& u = *r.campaigns[0].uplift;
  // Treatment 2/4 converted, control 1/3.
  CHECK(u.treatment_rate == Approx(0.5));
  CHECK(u.control_rate == Approx(1.0 / 3.0));
  CHECK(u.absolute == Approx(1.0 / 6.0));
  CHECK(u.relative == Approx(0.5));
  // Python: se = sqrt(.5*.5/4 + (1/3)(2/3)/3); 1/6 ∓ 1.959963984540054·se.
  CHECK(u.ci_low == Approx(-0.5576562458039969).epsilon(1e-12));
  CHECK(u.ci_high == Approx(0.8909895791373303).epsilon(1e-12));
  // Python: pooled p = 3/7, z = (1/6)/sqrt(p(1-p)(1/4+1/3)), p-value = erfc(|z|/sqrt 2)
  // (= 2(1 − Φ(z)) with statistics.NormalDist: 0.6592430036926307).
  CHECK(u.z == Approx(0.4409585518440985).epsilon(1e-12));
  CHECK(u.p_value == Approx(0.6592430036926306).epsilon(1e-12));
  CHECK(u.incremental_conversions == Approx(4.0 / 6.0));
  CHECK(u.incremental_revenue == Approx((150.0 / 4 - 80.0 / 3) * 4));  // 43.333...
  CHECK(u.incremental_roi == Approx(4.416666666666666));
}

TEST_CASE("campaign: per segment · a zero control rate gives a NaN relative uplift", "[campaign][unit]") {
  const pc::report r = pc::evaluate(pc::read_events_from_string(fixture));
  REQUIRE(r.segments.size() == 4);
  CHECK(r.segments[0].campaign == "spring");
  CHECK(r.segments[0].segment == "gold");
  CHECK(r.segments[1].segment == "silver");
  CHECK(r.segments[2].campaign == "summer");
  const pc::metrics& gold = r.segments[0];
  CHECK(gold.targeted == 2);
  CHECK(gold.converted == 1);
  CHECK(gold.control_customers == 1);
  CHECK(gold.uplift->absolute == Approx(-0.5));  // 1/2 treated vs 1/1 control
  const pc::metrics& silver = r.segments[1];
  CHECK(silver.delivered == 1);
  CHECK(silver.delivery_rate == Approx(0.5));
  CHECK(silver.control_customers == 2);
  CHECK(silver.uplift->control_rate == 0.0);
  CHECK(std::isnan(silver.uplift->relative));
  // A joined segment table replaces the column; unmatched customers are counted.
  pc::event_table e = pc::read_events_from_string(fixture);
  CHECK(pc::join_segments(e, {"1", "2", "3"}, {"a", "a", "b"}) == 6);
  const pc::report j = pc::evaluate(e);
  CHECK(j.segments.size() == 4);  // spring: a, b, unassigned; summer: unassigned
  CHECK(j.segments[0].segment == "a");
  CHECK(j.segments[0].targeted == 2);
  CHECK(j.segments[2].segment == "unassigned");
}

TEST_CASE("campaign: zero denominators are NaN and CSV/JSON write them empty/null", "[campaign][unit]") {
  // Nothing delivered or converted, no cost: every rate with a zero denominator is NaN.
  const pc::report r = pc::evaluate(pc::read_events_from_string("customer,campaign,sent\na,x,0\nb,x,0\n"));
  const pc::metrics& m = r.campaigns[0];
  CHECK(std::isnan(m.delivery_rate));
  CHECK(std::isnan(m.open_rate));
  CHECK(std::isnan(m.cost_per_acquisition));
  CHECK(std::isnan(m.roi));
  CHECK(m.conversion_rate == 0.0);
  const std::string csv = pc::to_csv(r);
  CHECK_THAT(csv, Contains("\nx,,2,0,0,0,0,0,0,0,,,,,0,,,0,0,0,,,,,,,,,,\n"));
  const std::string json = pc::to_json(r);
  CHECK_THAT(json, Contains("\"open_rate\": null"));
  CHECK_THAT(json, Contains("\"uplift\": null"));
}

TEST_CASE("campaign: bad rows name file · line · column · field · value", "[campaign][error]") {
  const std::string head = "customer,campaign,group,sent,opened,converted,revenue,cost\n";
  auto fails = [&](const std::string& row, const std::string& message) {
    CHECK_THROWS_MATCHES(pc::read_events_from_string(head + "ok,c,treatment,1,1,0,0,0\n" + row, {}, "ev.csv"),
                         patron::data_error, Message(message));
  };
  fails("a,c,control,1,0,0,0,0\n",
        "[patron.bad_rule] ev.csv:3:4: sent = \"1\": a control-group customer is not contacted: sent must be 0");
  fails("a,c,treatment,0,1,0,0,0\n", "[patron.bad_rule] ev.csv:3:5: opened = \"1\": set on a row with sent = 0");
  fails("a,c,treatment,1,0,0,0,-3\n", "[patron.out_of_range] ev.csv:3:8: cost = \"-3\": must be >= 0");
  fails("a,c,treatment,1,0,maybe,0,0\n",
        "[patron.bad_number] ev.csv:3:6: converted = \"maybe\": not a flag: expected a count >= 0, true/false, yes/no or y/n");
  fails("a,c,treatment,-1,0,0,0,0\n", "[patron.out_of_range] ev.csv:3:4: sent = \"-1\": a count must be >= 0");
  fails("a,c,treatment,1,0,0,nan,0\n", "[patron.out_of_range] ev.csv:3:7: revenue = \"nan\": must be finite and within ±1e15");
  fails("a,c,treatment,1,0,0,inf,0\n", "[patron.out_of_range] ev.csv:3:7: revenue = \"inf\": must be finite and within ±1e15");
  fails("a,c,treatment,1,0,0,1e400,0\n", "[patron.out_of_range] ev.csv:3:7: revenue = \"1e400\": beyond the range of a double");
  fails("a,c,treatment,1,0,0,12x,0\n", "[patron.bad_number] ev.csv:3:7: revenue = \"12x\": not a number");
  fails("a,c,maybe,1,0,0,0,0\n",
        "[patron.bad_rule] ev.csv:3:3: group = \"maybe\": neither a control label (control, holdout, ctrl, c, 0) nor a "
        "treatment label (treatment, test, target, exposed, t, 1)");
  fails("ok,c,treatment,1,0,0,0,0\n",
        "[patron.bad_rule] ev.csv:3:1: customer = \"ok\": already in campaign \"c\" on line 2: one row per customer and campaign");
  fails(",c,treatment,1,0,0,0,0\n", "[patron.missing_value] ev.csv:3:1: customer = \"\": empty");
  fails("a,c\n", "[patron.ragged_row] ev.csv:3: fields = \"2\": expected at least 8");
  // Negative revenue (a refund) is allowed.
  CHECK(pc::read_events_from_string(head + "a,c,treatment,1,0,0,-5,0\n").revenue[0] == -5.0);
}

TEST_CASE("campaign: missing columns · empty input · overrides · lenient mode", "[campaign][error]") {
  CHECK_THROWS_MATCHES(pc::read_events_from_string("customer,campaign,opened\na,c,1\n", {}, "ev.csv"), patron::data_error,
                       Message("[patron.missing_column] ev.csv:1: sent = \"\": no such column; headers: customer, campaign, opened"));
  CHECK_THROWS_MATCHES(pc::read_events_from_string("customer,campaign,sent\n", {}, "ev.csv"), patron::data_error,
                       Message("[patron.empty_input] ev.csv: no data rows"));
  CHECK_THROWS_MATCHES(pc::read_events_from_string("", {}, "ev.csv"), patron::data_error,
                       Message("[patron.empty_input] ev.csv: no header line"));
  CHECK_THROWS_AS(pc::read_events("/nonexistent/events.csv"), patron::data_error);
  // Header overrides: any header text for a canonical column; an unknown canonical name is refused.
  pc::event_read_options o;
  o.columns = {{"customer", "Kunde"}, {"sent", "Versendet"}, {"converted", "Kauf"}};
  const pc::event_table e = pc::read_events_from_string("\xEF\xBB\xBFKunde,Campaign,Versendet,Kauf\na,c,1,1\n", o);
  CHECK(e.customer[0] == "a");
  CHECK(e.converted[0] == 1);
  o.columns = {{"buyer", "Kunde"}};
  CHECK_THROWS_AS(pc::read_events_from_string("Kunde,campaign,sent\na,c,1\n", o), patron::invalid_argument_error);
  o.columns = {{"customer", "Client"}};
  CHECK_THROWS_WITH(pc::read_events_from_string("Kunde,campaign,sent\na,c,1\n", o, "ev.csv"),
                    Contains("ev.csv:1: customer = \"Client\": no such column; headers: Kunde, campaign, sent"));
  // Lenient: bad rows are skipped and counted per reason; none silently.
  pc::event_read_options lenient;
  lenient.lenient = true;
  const pc::event_table l = pc::read_events_from_string(
      "customer,campaign,sent,cost\na,c,1,1\nb,c,x,1\nc,c,1,-1\nd,c,1,nan\ne,c,1,2\n", lenient);
  CHECK(l.size() == 2);
  CHECK(l.skipped.at("bad_number") == 1);
  CHECK(l.skipped.at("out_of_range") == 2);
  CHECK_THROWS_WITH(pc::read_events_from_string("customer,campaign,sent\na,c,x\n", lenient),
                    Contains("every data row was skipped"));
  CHECK_THROWS_AS(pc::evaluate(pc::event_table{}), patron::invalid_argument_error);
}
