// Incidents at the workflow level: one description of dates, one harm-kind check, errors
// that name their field, the timeline PDF in date order.
#include "service/incidents.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include "pdf/pdf_tools.h"

namespace recourse::service {
namespace {

using core::DatePrecision;

core::Date day(const std::string& s) { return *core::Date::parse(s, "date"); }

class IncidentsTest : public testing::ServiceTest {};

TEST_F(IncidentsTest, DatesAreDescribedAsPreciselyAsTheyAreKnown) {
  core::Incident i;
  EXPECT_EQ(describeWhen(i), "date not given");
  EXPECT_EQ(datePrecisionFor(i, false, false), DatePrecision::kUnknown);
  i.date_text = "spring 2024";
  EXPECT_EQ(datePrecisionFor(i, false, false), DatePrecision::kApproximate);
  EXPECT_EQ(describeWhen(i), "spring 2024");
  i.date_text.clear();
  i.date_start = day("2024-03-01");
  i.date_precision = datePrecisionFor(i, true, false);
  EXPECT_EQ(describeWhen(i), "around 2024-03-01");
  i.date_precision = datePrecisionFor(i, false, false);
  EXPECT_EQ(describeWhen(i), "2024-03-01");
  i.date_end = day("2024-05-30");
  i.date_precision = datePrecisionFor(i, false, false);
  EXPECT_EQ(describeWhen(i), "2024-03-01 to 2024-05-30");
  i.date_precision = datePrecisionFor(i, false, true);
  EXPECT_EQ(describeWhen(i), "repeatedly from 2024-03-01 to 2024-05-30");
}

// What a front end may keep depends on the day as well as the vault: a time limit comes
// nearer every day with nothing written.
TEST_F(IncidentsTest, TheReadStampMovesWithAChangeAndWithTheDay) {
  auto kase = addCase();
  const ReadStamp first = readStamp(services());
  EXPECT_EQ(readStamp(services()), first);
  clock_.advance(std::chrono::hours(2));  // the same day
  EXPECT_EQ(readStamp(services()), first);
  clock_.advance(std::chrono::hours(22));  // the next
  const ReadStamp next_day = readStamp(services());
  EXPECT_FALSE(next_day == first);
  core::Incident i;
  i.case_id = kase.id;
  i.summary = "Therapy ended by text";
  ASSERT_TRUE(service::addIncident(services(), i).isOk());
  EXPECT_FALSE(readStamp(services()) == next_day);
}

TEST_F(IncidentsTest, UnknownHarmKindsAreRefusedWithTheKnownOnes) {
  EXPECT_TRUE(checkHarmKinds(catalog(), {"abandonment", "boundary_violation"}).isOk());
  auto bad = checkHarmKinds(catalog(), {"abandonment", "rudeness"});
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.field(), "harm_kinds");
  EXPECT_NE(bad.message().find("\"rudeness\""), std::string::npos);
  EXPECT_NE(bad.message().find("abandonment"), std::string::npos);
  auto labels = harmLabels(catalog(), {"abandonment", "not_a_kind"});
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_NE(labels[0], "abandonment");  // the taxonomy's words, not the id
  EXPECT_EQ(labels[1], "not_a_kind");
}

TEST_F(IncidentsTest, AddingChecksFirstAndNamesTheField) {
  auto kase = addCase();
  core::Incident i;
  i.case_id = kase.id;
  i.summary = "Therapy ended by text";
  i.harm_kinds = {"rudeness"};
  auto refused = service::addIncident(services(), i);
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().field(), "harm_kinds");
  EXPECT_TRUE(store().listIncidents(kase.id)->empty());

  i.harm_kinds = {"abandonment"};
  i.case_id = "cs_nothere";
  auto no_case = service::addIncident(services(), i);
  EXPECT_EQ(no_case.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(no_case.status().field(), "case_id");

  i.case_id = kase.id;
  auto added = service::addIncident(services(), i);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  auto missing = getIncident(services(), "in_nothere");
  EXPECT_EQ(missing.status().field(), "incident_id");
}

TEST_F(IncidentsTest, AnIncidentAsAPersonGivesItIsReadAndRecorded) {
  auto kase = addCase();
  NewIncident in;
  in.case_id = kase.id;
  in.summary = "Ended therapy by text";
  in.date = "2024-04-01";
  in.approximate = true;
  in.harm_kinds = {"Ending therapy abruptly or without a referral", "boundary violation"};
  auto added = recordIncident(services(), in);
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  EXPECT_EQ(added->date_precision, DatePrecision::kApproximate);
  EXPECT_EQ(added->harm_kinds, (std::vector<std::string>{"abandonment", "boundary_violation"}));
  EXPECT_EQ(describeWhen(*added), "around 2024-04-01");

  in = NewIncident{};
  in.case_id = kase.id;
  in.summary = "Sessions ran late";
  in.date = "2023-10-01";
  in.date_end = "2024-01-31";
  auto range = recordIncident(services(), in);
  ASSERT_TRUE(range.isOk()) << range.status().toString();
  EXPECT_EQ(range->date_precision, DatePrecision::kRange);
  in.summary = "No date";
  in.date.clear();
  in.date_end.clear();
  auto undated = recordIncident(services(), in);
  ASSERT_TRUE(undated.isOk());
  EXPECT_EQ(undated->date_precision, DatePrecision::kUnknown);

  // Each refusal names its field and saves nothing.
  in.date = "2024-02-30";
  EXPECT_EQ(recordIncident(services(), in).status().field(), "date");
  in.date.clear();
  in.date_end = "2024-02-01";
  EXPECT_EQ(recordIncident(services(), in).status().field(), "date_end");
  in.date_end.clear();
  in.harm_kinds = {"rudeness"};
  EXPECT_EQ(recordIncident(services(), in).status().field(), "harm_kinds");
  in.harm_kinds.clear();
  // A day that has not come yet (the fixture's clock says 2026-03-02), at either end.
  in.date = "2026-03-03";
  auto future = recordIncident(services(), in);
  EXPECT_EQ(future.status().field(), "date");
  EXPECT_EQ(future.status().reason(), "day_in_future");
  in.date = "2026-03-01";
  in.date_end = "2999-01-01";
  EXPECT_EQ(recordIncident(services(), in).status().field(), "date_end");
  EXPECT_EQ(store().listIncidents(kase.id)->size(), 3u);

  IncidentEdit edit;
  edit.incident_id = added->id;
  edit.date = "2026-12-25";
  auto moved = editIncident(services(), edit);
  EXPECT_EQ(moved.status().reason(), "day_in_future");
  EXPECT_EQ(getIncident(services(), added->id)->date_start, day("2024-04-01"));
  edit.date = "2026-03-02";  // today is a day that has come
  EXPECT_TRUE(editIncident(services(), edit).isOk());
}

TEST_F(IncidentsTest, ClearingKeepsThePrecisionTrue) {
  core::Incident i;
  i.date_start = day("2024-03-01");
  i.date_text = "early March";
  i.date_precision = DatePrecision::kExact;
  ASSERT_TRUE(clearIncidentField(&i, "date").isOk());
  EXPECT_FALSE(i.date_start);
  EXPECT_EQ(i.date_precision, DatePrecision::kApproximate);
  ASSERT_TRUE(clearIncidentField(&i, "when").isOk());
  EXPECT_EQ(i.date_precision, DatePrecision::kUnknown);
  auto bad = clearIncidentField(&i, "summary");
  EXPECT_EQ(bad.field(), "clear");
}

TEST_F(IncidentsTest, TheTimelinePdfIsInDateOrder) {
  auto kase = addCase();
  core::Incident later;
  later.case_id = kase.id;
  later.summary = "Shared what I said in session";
  later.date_start = day("2024-06-01");
  later.date_precision = DatePrecision::kExact;
  ASSERT_TRUE(service::addIncident(services(), later).isOk());
  core::Incident earlier = later;
  earlier.summary = "Cancelled with no notice";
  earlier.date_start = day("2023-11-20");
  ASSERT_TRUE(service::addIncident(services(), earlier).isOk());
  auto doc = timelinePdf(services(), kase.id);
  ASSERT_TRUE(doc.isOk()) << doc.status().toString();
  EXPECT_EQ(doc->incidents, 2u);
  const std::string path = tmp_.file("timeline.pdf");
  testing::writeBytes(path, doc->pdf);
  testing::expectInOrder(testing::foldedText(path),
                         {"Cancelled with no notice", "Shared what I said in session"});
  // Nothing was requested or filed: no part for it, not even its heading.
  EXPECT_EQ(testing::foldedText(path).find("Records requests and the complaint"),
            std::string::npos);
  EXPECT_EQ(timelinePdf(services(), "cs_nothere").status().field(), "case_id");
}

TEST_F(IncidentsTest, ADeletedIncidentLeavesItsEvidenceInTheCase) {
  auto kase = addCase();
  auto gone = addIncident(kase.id, "2024-02-10");
  auto kept = addIncident(kase.id, "2024-03-10");
  ASSERT_TRUE(deleteIncident(services(), gone.id).isOk());
  auto left = listIncidents(services(), kase.id);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, kept.id);
  EXPECT_EQ(getIncident(services(), gone.id).status().field(), "incident_id");
  EXPECT_EQ(deleteIncident(services(), gone.id).field(), "incident_id");
  auto audit = store().auditEvents();
  auto last_change = std::find_if(audit->rbegin(), audit->rend(), [](const core::AuditEvent& e) {
    return e.action.rfind("read.", 0) != 0;
  });
  ASSERT_NE(last_change, audit->rend());
  EXPECT_EQ(last_change->action, "incident.delete");
}

TEST_F(IncidentsTest, AnEditChangesWhatIsGivenKeepsARecurrenceAndStoresNothingWrong) {
  auto kase = addCase();
  core::Incident i;
  i.case_id = kase.id;
  i.summary = "Sessions cut short";
  i.date_start = core::Date(2023, 10, 1);
  i.date_end = core::Date(2024, 6, 30);
  i.date_precision = core::DatePrecision::kRecurring;
  i.witnesses = "My sister";
  auto added = store().addIncident(i);
  ASSERT_TRUE(added.isOk());

  IncidentEdit move;
  move.incident_id = added->id;
  move.date = "2023-10-08";
  move.witnesses = "";
  auto moved = editIncident(services(), move);
  ASSERT_TRUE(moved.isOk()) << moved.status().toString();
  EXPECT_EQ(moved->date_precision, core::DatePrecision::kRecurring);
  EXPECT_EQ(describeWhen(*moved), "repeatedly from 2023-10-08 to 2024-06-30");
  EXPECT_EQ(moved->witnesses, "");
  EXPECT_EQ(moved->summary, "Sessions cut short");

  IncidentEdit no_end;
  no_end.incident_id = added->id;
  no_end.date_end = "";
  EXPECT_EQ(describeWhen(*editIncident(services(), no_end)), "repeatedly from 2023-10-08");
  IncidentEdit once;
  once.incident_id = added->id;
  once.precision = "exact";
  EXPECT_EQ(describeWhen(*editIncident(services(), once)), "2023-10-08");

  auto field_of = [&](IncidentEdit e) {
    e.incident_id = added->id;
    e.impact = "should not be stored";
    return editIncident(services(), e).status().field();
  };
  IncidentEdit e1;
  e1.summary = "";
  EXPECT_EQ(field_of(e1), "summary");
  IncidentEdit e2;
  e2.date = "2023-02-30";
  EXPECT_EQ(field_of(e2), "date");
  IncidentEdit e3;
  e3.date_end = "2020-01-01";  // before the start
  EXPECT_EQ(field_of(e3), "date_end");
  IncidentEdit e4;
  e4.precision = "sometimes";
  EXPECT_EQ(field_of(e4), "precision");
  IncidentEdit e5;
  e5.harm_kinds = std::vector<std::string>{"not_a_kind"};
  EXPECT_EQ(field_of(e5), "harm_kinds");
  EXPECT_EQ(getIncident(services(), added->id)->impact, "");
  IncidentEdit ghost;
  ghost.incident_id = "in_nothere";
  EXPECT_EQ(editIncident(services(), ghost).status().field(), "incident_id");
}

}  // namespace
}  // namespace recourse::service
