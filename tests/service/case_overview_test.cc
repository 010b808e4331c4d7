// A case page's data (caseOverview): its tasks from what is stored, and, on an
// organization database, its reads sent at once (Store::readAheadCase) without changing
// what it says.
#include "service/case_overview.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"

namespace recourse::service {
namespace {

class CaseOverviewTest : public testing::ServiceTest {
 protected:
  const CaseTask& task(const CaseOverview& o, const std::string& id) {
    for (const auto& t : o.tasks) {
      if (t.id == id) return t;
    }
    ADD_FAILURE() << "no task " << id;
    return o.tasks.front();
  }
};

// Each task's status and count come from what is stored; on PostgreSQL every read after the
// case's own came from what was sent at once (7 with a request, whose history is read too;
// 6 without, and the one not read is dropped, so the next reads are answered rightly).
TEST_F(CaseOverviewTest, TasksFollowWhatIsStoredAndThePagesReadsGoTogether) {
  const bool organization = testing::testEngine() == "PostgreSQL";
  auto busy = addCase();
  addIncident(busy.id, "2025-06-01");
  addIncident(busy.id, "2025-07-01");
  addSentRequest(busy, "Bay Clinic", "2026-02-20");
  ASSERT_TRUE(markTaskDone(services(), busy.id, "incidents", true).isOk());
  auto quiet = addCase("us-ny", "LMHC");

  long long before = store().answersTakenAhead();
  auto o = caseOverview(services(), busy.id);
  ASSERT_TRUE(o.isOk()) << o.status().toString();
  EXPECT_EQ(store().answersTakenAhead() - before, organization ? 7 : 0);
  EXPECT_EQ(o->kase.id, busy.id);
  EXPECT_EQ(o->client.name, "Maya Okafor");
  EXPECT_EQ(task(*o, "therapist").status, TaskStatus::kCompleted);
  EXPECT_EQ(task(*o, "incidents").status, TaskStatus::kCompleted);  // said finished
  EXPECT_EQ(task(*o, "incidents").count, 2u);
  EXPECT_EQ(task(*o, "evidence").status, TaskStatus::kNotStarted);
  EXPECT_EQ(task(*o, "records").status, TaskStatus::kInProgress);  // awaiting the answer
  EXPECT_EQ(task(*o, "records").count, 1u);
  EXPECT_EQ(task(*o, "complaint").status, TaskStatus::kNotStarted);
  ASSERT_FALSE(o->boards.boards.empty());

  before = store().answersTakenAhead();
  auto q = caseOverview(services(), quiet.id);
  ASSERT_TRUE(q.isOk()) << q.status().toString();
  EXPECT_EQ(store().answersTakenAhead() - before, organization ? 6 : 0);
  EXPECT_EQ(task(*q, "incidents").status, TaskStatus::kNotStarted);
  EXPECT_EQ(task(*q, "records").status, TaskStatus::kNotStarted);
  EXPECT_EQ(task(*q, "records").count, 0u);
  // What was sent for the history the page did not need is not taken for these.
  auto incidents = store().listIncidents(busy.id);
  ASSERT_TRUE(incidents.isOk()) << incidents.status().toString();
  EXPECT_EQ(incidents->size(), 2u);
  auto histories = store().requestEventsOfCase(busy.id);
  ASSERT_TRUE(histories.isOk()) << histories.status().toString();
  EXPECT_EQ(histories->by_request.size(), 1u);

  // Each page's reads are in the access log, once each.
  auto events = store().auditEventsOf(busy.client_id);
  ASSERT_TRUE(events.isOk()) << events.status().toString();
  int case_reads = 0;
  for (const auto& e : *events) case_reads += e.action == "read.case" && e.entity_id == busy.id;
  EXPECT_EQ(case_reads, 1);
  EXPECT_TRUE(store().verifyAuditChain().isOk());
}

// A case that is not there is NotFound about "case_id", and nothing sent ahead is left
// behind for the next reads.
TEST_F(CaseOverviewTest, ACaseThatIsNotThereIsNotFound) {
  auto kase = addCase();
  addIncident(kase.id, "2025-06-01");
  auto gone = caseOverview(services(), "cs_nope");
  EXPECT_EQ(gone.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(gone.status().field(), "case_id");
  auto o = caseOverview(services(), kase.id);
  ASSERT_TRUE(o.isOk()) << o.status().toString();
  EXPECT_EQ(task(*o, "incidents").count, 1u);
}

}  // namespace
}  // namespace recourse::service
