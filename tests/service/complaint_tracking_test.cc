// A board complaint after filing, at the workflow level: the lifecycle under a fake clock with
// hand-worked dates, the steps in `deadlines` and the calendar, the letter asking where things
// stand, and every bad input refused by name with nothing stored.
#include "service/complaint_tracking.h"

#include <gtest/gtest.h>

#include <chrono>

#include "fakes/service_fixture.h"
#include "pdf/pdf_tools.h"
#include "service/case_history.h"
#include "service/caseload.h"
#include "service/complaint.h"
#include "service/deadlines.h"
#include "service/incidents.h"
#include "service/letter.h"
#include "service/requests.h"

namespace recourse::service {
namespace {

using core::Date;

Date day(const std::string& s) { return *core::Date::parse(s, "date"); }

class ComplaintTrackingTest : public testing::ServiceTest {
 protected:
  // Moves the fake clock to 09:00 UTC on `d` (it starts on 2026-03-02).
  void setToday(const std::string& d) {
    const auto delta = day(d).days() - clock_.today().days();
    clock_.advance(std::chrono::duration_cast<std::chrono::seconds>(delta));
  }

  TrackedComplaint file(const std::string& case_id, const std::string& on,
                        const std::string& via = "mail", const std::string& ref = "BBS-42") {
    ComplaintFiling f;
    f.case_id = case_id;
    f.filed_on = day(on);
    f.filed_via = via;
    f.board_reference = ref;
    auto t = recordComplaintFiling(services(), f);
    EXPECT_TRUE(t.isOk()) << t.status().toString();
    return t.isOk() ? *t : TrackedComplaint{};
  }

  core::StatusOr<TrackedComplaint> step(const std::string& case_id, const std::string& type,
                                        const std::string& on, const std::string& reply_by = "",
                                        const std::string& outcome = "",
                                        const std::string& details = "") {
    NewComplaintEvent e;
    e.case_id = case_id;
    e.type = type;
    e.on = day(on);
    if (!reply_by.empty()) e.reply_by = day(reply_by);
    e.outcome = outcome;
    e.details = details;
    return recordComplaintEvent(services(), e);
  }

  static const jurisdiction::ComplaintStep* stepOf(const TrackedComplaint& t,
                                                   const std::string& key) {
    for (const auto& s : t.state.next) {
      if (s.key == key) return &s;
    }
    return nullptr;
  }

  size_t eventsStored(const std::string& case_id) {
    auto t = trackComplaint(services(), case_id);
    EXPECT_TRUE(t.isOk()) << t.status().toString();
    return t.isOk() ? t->events.size() : 0;
  }
};

// California's Board of Behavioral Sciences: the law gives it 10 days to say what it first
// did (Bus. & Prof. Code s. 129(b)). Every date below is worked out by hand.
TEST_F(ComplaintTrackingTest, TheLifecycleFromFilingToOutcomeUnderTheClock) {
  auto kase = addCase("us-ca", "LMFT");
  setToday("2026-01-20");
  // Filed by post on 5 January; nothing heard: the first reply was due by 15 January
  // (5 + 10), and with that passed, asking where things stand makes sense from the 16th.
  auto t = file(kase.id, "2026-01-05");
  EXPECT_EQ(t.state.status, jurisdiction::ComplaintStatus::kFiled);
  EXPECT_EQ(t.board_id, "us-ca-bbs");
  EXPECT_EQ(t.board_reference, "BBS-42");
  const auto* first = stepOf(t, "first_reply");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(*first->by, day("2026-01-15"));
  EXPECT_FALSE(first->deadline);
  EXPECT_EQ(first->citation, "Cal. Bus. & Prof. Code § 129(b)");
  EXPECT_NE(first->what.text.find("by post"), std::string::npos);  // counted from sending
  const auto* ask = stepOf(t, "status_inquiry");
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ(*ask->by, day("2026-01-16"));
  EXPECT_EQ(ask->what.key, "complaint.status_inquiry_now");
  EXPECT_EQ(ask->form, "complaint-status-inquiry");

  // Acknowledged on 12 January: the first reply came; asking is offered six months on.
  auto acked = step(kase.id, "acknowledged", "2026-01-12");
  ASSERT_TRUE(acked.isOk()) << acked.status().toString();
  EXPECT_EQ(acked->state.status, jurisdiction::ComplaintStatus::kAcknowledged);
  EXPECT_EQ(stepOf(*acked, "first_reply"), nullptr);
  EXPECT_EQ(*stepOf(*acked, "status_inquiry")->by, day("2026-07-12"));
  EXPECT_EQ(stepOf(*acked, "status_inquiry")->what.key, "complaint.status_inquiry");

  // More information asked on 10 February, by 24 February.
  setToday("2026-02-10");
  auto asked = step(kase.id, "info_requested", "2026-02-10", "2026-02-24", "", "send the texts");
  ASSERT_TRUE(asked.isOk()) << asked.status().toString();
  EXPECT_EQ(asked->state.status, jurisdiction::ComplaintStatus::kInfoRequested);
  const auto* reply = stepOf(*asked, "reply_info");
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(*reply->by, day("2026-02-24"));
  EXPECT_TRUE(reply->deadline);
  EXPECT_EQ(*stepOf(*asked, "status_inquiry")->by, day("2026-08-10"));

  // In `deadlines` and the calendar: the reply as the person's deadline, the inquiry as a
  // suggestion.
  auto items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk()) << items.status().toString();
  const DeadlineItem* due = nullptr;
  const DeadlineItem* inquiry = nullptr;
  for (const auto& it : *items) {
    if (it.kind == DeadlineItem::Kind::kComplaintDeadline) due = &it;
    if (it.kind == DeadlineItem::Kind::kComplaintStep) inquiry = &it;
  }
  ASSERT_NE(due, nullptr);
  EXPECT_EQ(due->date, day("2026-02-24"));
  EXPECT_EQ(due->days_from_today, 14);
  EXPECT_EQ(due->client_name, "Maya Okafor");
  ASSERT_NE(inquiry, nullptr);
  EXPECT_EQ(inquiry->date, day("2026-08-10"));
  EXPECT_EQ(inquiry->command, suggestedComplaintLetterCommand(kase.id));
  const std::string ics = toICalendar(*items, clock_.now());
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20260224"), std::string::npos);
  EXPECT_NE(ics.find("reply by 2026-02-24"), std::string::npos);
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20260810"), std::string::npos);

  // Sent on the 20th: nothing is owed any more.
  setToday("2026-02-20");
  auto sent = step(kase.id, "info_sent", "2026-02-20");
  ASSERT_TRUE(sent.isOk()) << sent.status().toString();
  EXPECT_EQ(sent->state.status, jurisdiction::ComplaintStatus::kUnderInvestigation);
  EXPECT_EQ(stepOf(*sent, "reply_info"), nullptr);

  // Six months of silence after the board's last word (10 February): the letter is offered
  // as of 10 August.
  setToday("2026-08-10");
  auto quiet = trackComplaint(services(), kase.id);
  ASSERT_TRUE(quiet.isOk());
  EXPECT_EQ(stepOf(*quiet, "status_inquiry")->what.key, "complaint.status_inquiry_now");
  EXPECT_NE(stepOf(*quiet, "status_inquiry")->what.text.find("since 2026-02-10"),
            std::string::npos);
  // Asked on 12 August: the next offer is six months after that.
  setToday("2026-08-12");
  auto inquired = step(kase.id, "status_inquiry_sent", "2026-08-12");
  ASSERT_TRUE(inquired.isOk());
  EXPECT_EQ(*stepOf(*inquired, "status_inquiry")->by, day("2027-02-12"));

  // Closed with no action on 15 October: no more waiting; this board's data names no review.
  setToday("2026-10-20");
  auto closed = step(kase.id, "outcome", "2026-10-15", "", "closed_no_action", "letter came");
  ASSERT_TRUE(closed.isOk()) << closed.status().toString();
  EXPECT_EQ(closed->state.status, jurisdiction::ComplaintStatus::kDecided);
  EXPECT_EQ(closed->state.outcome, core::ComplaintOutcome::kClosedNoAction);
  EXPECT_EQ(stepOf(*closed, "status_inquiry"), nullptr);
  EXPECT_NE(stepOf(*closed, "review_unknown"), nullptr);
  ASSERT_EQ(closed->events.size(), 5u);
  EXPECT_EQ(closed->events[1].details, "send the texts");  // the person's notes, unsealed
}

// The Texas Medical Board: a dismissal can be appealed once within 90 days of receiving the
// notice (22 Tex. Admin. Code s. 177.12). Dismissed on 15 October 2026: 16 days to the end of
// October, 30 in November, 31 in December, 13 in January: by 13 January 2027.
TEST_F(ComplaintTrackingTest, TheReviewWindowRunsFromTheOutcomeAndClosesWhenAsked) {
  auto kase = addCase("us-tx", "psychiatrist");
  setToday("2026-10-20");
  auto t = file(kase.id, "2026-03-01", "online", "TMB-7");
  EXPECT_EQ(t.board_id, "us-tx-tmb");
  ASSERT_TRUE(step(kase.id, "outcome", "2026-10-15", "", "closed_no_action").isOk());
  auto decided = trackComplaint(services(), kase.id);
  ASSERT_TRUE(decided.isOk());
  const auto* review = stepOf(*decided, "outcome_review");
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(*review->by, day("2027-01-13"));
  EXPECT_TRUE(review->deadline);
  EXPECT_NE(review->citation.find("177.12"), std::string::npos);
  EXPECT_NE(review->what.text.find("Disciplinary Process Review Committee"), std::string::npos);
  EXPECT_NE(review->what.text.find("make sure the Board receives your appeal"), std::string::npos)
      << review->what.text;

  auto items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk());
  bool listed = false;
  for (const auto& it : *items) {
    if (it.kind == DeadlineItem::Kind::kComplaintDeadline && it.date == day("2027-01-13")) {
      listed = true;
    }
  }
  EXPECT_TRUE(listed);

  // On its last day it is still listed; the day after, the case page says it ended, and it
  // is not listed as late (not asking is the person's choice too).
  setToday("2027-01-13");
  items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk());
  bool today_listed = false;
  for (const auto& it : *items) {
    if (it.kind == DeadlineItem::Kind::kComplaintDeadline) today_listed = it.days_from_today == 0;
  }
  EXPECT_TRUE(today_listed);
  setToday("2027-01-14");
  items = listDeadlines(services(), {});
  ASSERT_TRUE(items.isOk());
  for (const auto& it : *items) EXPECT_NE(it.kind, DeadlineItem::Kind::kComplaintDeadline);
  auto ended = trackComplaint(services(), kase.id);
  ASSERT_TRUE(ended.isOk());
  EXPECT_EQ(stepOf(*ended, "outcome_review"), nullptr);
  ASSERT_NE(stepOf(*ended, "outcome_review_ended"), nullptr);
  EXPECT_NE(stepOf(*ended, "outcome_review_ended")->what.text.find("ended on 2027-01-13"),
            std::string::npos);
  EXPECT_FALSE(stepOf(*ended, "outcome_review_ended")->by);

  // Asked for on 1 November: the window's step goes; the review's answer ends it.
  setToday("2026-11-01");
  auto asked = step(kase.id, "review_requested", "2026-11-01");
  ASSERT_TRUE(asked.isOk()) << asked.status().toString();
  EXPECT_EQ(asked->state.status, jurisdiction::ComplaintStatus::kReviewRequested);
  EXPECT_EQ(stepOf(*asked, "outcome_review"), nullptr);
  EXPECT_EQ(*stepOf(*asked, "status_inquiry")->by, day("2027-04-15"));  // 6 months after 15 Oct
  setToday("2027-01-20");
  auto answered = step(kase.id, "review_decided", "2027-01-20");
  ASSERT_TRUE(answered.isOk());
  EXPECT_EQ(answered->state.status, jurisdiction::ComplaintStatus::kReviewDecided);
  EXPECT_TRUE(answered->state.next.empty());

  // A discipline outcome is not one the appeal is for.
  auto other = addCase("us-tx", "psychiatrist");
  file(other.id, "2026-03-01", "online", "TMB-8");
  auto disciplined = step(other.id, "outcome", "2027-01-02", "", "discipline");
  ASSERT_TRUE(disciplined.isOk());
  EXPECT_EQ(stepOf(*disciplined, "outcome_review"), nullptr);
  // Formal charges are not the end: a hearing follows, and the waiting goes on.
  auto third = addCase("us-tx", "psychiatrist");
  file(third.id, "2026-03-01", "online", "TMB-9");
  auto charged = step(third.id, "outcome", "2027-01-02", "", "charges");
  ASSERT_TRUE(charged.isOk());
  EXPECT_EQ(charged->state.status, jurisdiction::ComplaintStatus::kCharged);
  EXPECT_NE(stepOf(*charged, "charges"), nullptr);
  EXPECT_NE(stepOf(*charged, "status_inquiry"), nullptr);
}

// Bad input: a clear message naming the field, and nothing stored.
TEST_F(ComplaintTrackingTest, BadStepsAreRefusedByNameAndNothingIsStored) {
  auto kase = addCase("us-ca", "LMFT");
  // Nothing can follow a filing that is not recorded.
  auto early = step(kase.id, "acknowledged", "2026-02-01");
  EXPECT_EQ(early.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.status().field(), "case_id");
  file(kase.id, "2026-02-01");

  struct Bad {
    std::string type, on, reply_by, outcome, field;
  };
  const std::vector<Bad> bad = {
      {"info_requested", "2026-02-10", "2026-02-09", "", "reply_by"},  // reply before asked
      {"outcome", "2026-01-31", "", "closed_no_action", "on"},         // before filing
      {"hearing", "2026-02-10", "", "", "type"},                       // unknown type
      {"", "2026-02-10", "", "", "type"},                              // no type
      {"outcome", "2026-02-10", "", "", "outcome"},                    // no outcome named
      {"outcome", "2026-02-10", "", "struck_off", "outcome"},          // unknown outcome
      {"acknowledged", "2026-02-10", "", "discipline", "outcome"},     // outcome elsewhere
      {"acknowledged", "2026-02-10", "2026-02-20", "", "reply_by"},    // reply date elsewhere
      {"acknowledged", "2026-03-03", "", "", "on"},                    // tomorrow
      {"review_requested", "2026-02-10", "", "", "type"},              // no outcome yet
      {"review_decided", "2026-02-10", "", "", "type"},                // never asked
  };
  for (const auto& b : bad) {
    auto r = step(kase.id, b.type, b.on, b.reply_by, b.outcome);
    EXPECT_FALSE(r.isOk()) << b.type << " " << b.on;
    EXPECT_EQ(r.status().field(), b.field) << b.type << ": " << r.status().toString();
    EXPECT_FALSE(r.status().message().empty());
  }
  EXPECT_EQ(eventsStored(kase.id), 0u);

  // A day left out is named too.
  NewComplaintEvent no_day;
  no_day.case_id = kase.id;
  no_day.type = "acknowledged";
  EXPECT_EQ(recordComplaintEvent(services(), no_day).status().field(), "on");

  // The filing cannot move after what followed it, nor be undone under it.
  ASSERT_TRUE(step(kase.id, "acknowledged", "2026-02-05").isOk());
  ComplaintFiling later;
  later.case_id = kase.id;
  later.filed_on = day("2026-02-06");
  auto moved = recordComplaintFiling(services(), later);
  EXPECT_EQ(moved.status().field(), "filed_on");
  ComplaintFiling undone;
  undone.case_id = kase.id;
  undone.clear_filed_on = true;
  EXPECT_EQ(recordComplaintFiling(services(), undone).status().code(),
            core::StatusCode::kFailedPrecondition);
  ComplaintFiling bad_via;
  bad_via.case_id = kase.id;
  bad_via.filed_via = "pigeon";
  EXPECT_EQ(recordComplaintFiling(services(), bad_via).status().field(), "filed_via");
  auto still = trackComplaint(services(), kase.id);
  ASSERT_TRUE(still.isOk());
  EXPECT_EQ(*still->filed_on, day("2026-02-01"));
  EXPECT_EQ(still->filed_via, "mail");
  EXPECT_EQ(still->events.size(), 1u);

  // An outcome whose review is recorded cannot go first; a correction keeps the order.
  ASSERT_TRUE(step(kase.id, "outcome", "2026-02-20", "", "closed_no_action").isOk());
  auto asked = step(kase.id, "review_requested", "2026-02-25");
  ASSERT_TRUE(asked.isOk()) << asked.status().toString();
  const std::string outcome_id = asked->events[1].id;
  auto gone = deleteComplaintEvent(services(), outcome_id);
  EXPECT_EQ(gone.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(gone.status().field(), "event_id");
  ComplaintEventEdit after_review;
  after_review.event_id = outcome_id;
  after_review.on = day("2026-02-26");
  EXPECT_EQ(editComplaintEvent(services(), after_review).status().field(), "on");
  EXPECT_EQ(eventsStored(kase.id), 3u);
  EXPECT_EQ(showComplaintEvent(services(), "ce_nothere").status().field(), "event_id");
}

// A complaint filed without Recourse's packet can be tracked too; the packet still asks for
// the answers to be reviewed first. Re-reviewing keeps the filing.
TEST_F(ComplaintTrackingTest, AComplaintFiledElsewhereIsTrackedAndItsFilingSurvivesAReview) {
  auto kase = addCase("us-ca", "LMFT");
  auto t = file(kase.id, "2026-02-01", "online", "BBS-99");
  EXPECT_EQ(t.board_name, "Board of Behavioral Sciences");
  EXPECT_FALSE(t.complaint_id.empty());
  ComplaintPacketRequest packet;
  packet.case_id = kase.id;
  packet.in_memory = true;
  EXPECT_EQ(makeComplaintPacket(services(), packet).status().field(), "review");
  ReviewComplaint review;
  review.case_id = kase.id;
  ASSERT_TRUE(reviewComplaint(services(), review).isOk());
  auto after = trackComplaint(services(), kase.id);
  ASSERT_TRUE(after.isOk());
  EXPECT_EQ(*after->filed_on, day("2026-02-01"));
  EXPECT_EQ(after->filed_via, "online");
  EXPECT_EQ(after->board_reference, "BBS-99");

  // No board known for the therapist and nothing saved: said, nothing stored.
  auto unknown = addCase("us-ca", "");
  ComplaintFiling f;
  f.case_id = unknown.id;
  f.filed_on = day("2026-02-01");
  auto refused = recordComplaintFiling(services(), f);
  EXPECT_EQ(refused.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().field(), "case_id");
  auto none = trackComplaint(services(), unknown.id);
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(none->complaint_id.empty());
  EXPECT_EQ(none->state.status, jurisdiction::ComplaintStatus::kNotFiled);
}

// The letter asking where things stand: the filing's day and channel, the board's reference,
// the last word heard, the person's own words verbatim, addressed to the board; refused
// before a filing is recorded.
TEST_F(ComplaintTrackingTest, TheStatusLetterSaysWhatWasRecordedAndOnlyWhatThePersonAdded) {
  auto kase = addCase("us-ca", "LMFT");
  LetterRequest req;
  req.form_id = "complaint-status-inquiry";
  req.case_id = kase.id;
  auto early = makeLetter(services(), req);
  EXPECT_EQ(early.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.status().field(), "case_id");

  file(kase.id, "2026-01-05", "mail", "BBS-2026-0042");
  ASSERT_TRUE(step(kase.id, "acknowledged", "2026-01-12").isOk());
  const std::string own = "Since I wrote, she has contacted me twice; I kept the messages.";
  req.set = {"anything_to_add=" + own};
  auto letter = makeLetter(services(), req);
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  testing::TempDir dir;
  const std::string path = dir.file("inquiry.pdf");
  testing::writeBytes(path, letter->pdf);
  const std::string text = testing::foldedText(path);
  EXPECT_NE(text.find("Board of Behavioral Sciences"), std::string::npos) << text;
  EXPECT_NE(text.find("your reference BBS-2026-0042"), std::string::npos) << text;
  EXPECT_NE(text.find("On January 5, 2026 I filed a complaint by post about Dr. Jane Smith"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("The last I heard from you was on January 12, 2026."), std::string::npos)
      << text;
  EXPECT_NE(text.find(own), std::string::npos) << text;
  EXPECT_NE(text.find("Maya Okafor"), std::string::npos);
  // Nothing the person did not choose: no threat, no board-complaint language of its own.
  EXPECT_EQ(text.find("lawyer"), std::string::npos);
  EXPECT_EQ(text.find("{{"), std::string::npos);

  // Without their words, the letter says only what was recorded.
  req.set = {};
  auto plain = makeLetter(services(), req);
  ASSERT_TRUE(plain.isOk());
  testing::writeBytes(dir.file("plain.pdf"), plain->pdf);
  const std::string plain_text = testing::foldedText(dir.file("plain.pdf"));
  EXPECT_EQ(plain_text.find("kept the messages"), std::string::npos);
}

// The case's export (the timeline PDF) goes on after the incidents with every step of its
// records request and complaint, in date order, each with the person's notes as written.
TEST_F(ComplaintTrackingTest, TheCaseTimelineGoesOnWithTheRequestAndComplaintSteps) {
  auto kase = addCase("us-ca", "LMFT");
  addIncident(kase.id, "2025-10-02");
  NewRequest r;
  r.case_id = kase.id;
  auto request = addRequest(services(), r);
  ASSERT_TRUE(request.isOk()) << request.status().toString();
  NewEvent sent;
  sent.request_id = request->request.id;
  sent.type = core::RequestEventType::kSent;
  sent.on = day("2025-11-03");
  sent.via = "mail";
  ASSERT_TRUE(recordEvent(services(), sent).isOk());
  NewEvent refused = sent;
  refused.type = core::RequestEventType::kDenied;
  refused.on = day("2025-12-01");
  refused.via = "";
  // Words the smaller font cannot show: the document must choose the full one for them.
  refused.details = "They wrote that the notes are private. Signed: Ελένη Παππά.";
  ASSERT_TRUE(recordEvent(services(), refused).isOk());

  file(kase.id, "2026-01-05", "online", "BBS-2026-0042");
  ASSERT_TRUE(step(kase.id, "info_requested", "2026-02-10", "2026-02-24", "",
                   "Asked for the texts from October.")
                  .isOk());
  ASSERT_TRUE(step(kase.id, "acknowledged", "2026-01-12").isOk());

  auto history = caseHistory(services(), kase.id);
  ASSERT_TRUE(history.isOk()) << history.status().toString();
  ASSERT_EQ(history->size(), 5u);
  EXPECT_EQ((*history)[3].on, day("2026-01-12"));  // noted last, placed by its day

  auto doc = timelinePdf(services(), kase.id);
  ASSERT_TRUE(doc.isOk()) << doc.status().toString();
  testing::TempDir dir;
  testing::writeBytes(dir.file("timeline.pdf"), doc->pdf);
  const std::string text = testing::foldedText(dir.file("timeline.pdf"));
  testing::expectInOrder(
      text, {"Sessions ended by text message", "Records requests and the complaint", "2025-11-03",
             "Request for a copy of the records sent to Bay Clinic by post", "2025-12-01",
             "Bay Clinic refused the request for a copy of the records",
             "They wrote that the notes are private. Signed: Ελένη Παππά.", "2026-01-05",
             "Complaint sent to Board of Behavioral Sciences online (its reference: "
             "BBS-2026-0042)",
             "2026-01-12", "The board confirmed receiving the complaint", "2026-02-10",
             "The board asked for more information, to reply by 2026-02-24",
             "Asked for the texts from October."});
  EXPECT_EQ(text.find("{{"), std::string::npos);
  EXPECT_TRUE(doc->unshown.empty());
  EXPECT_EQ(caseHistory(services(), "cs_nothere").status().field(), "case_id");
}

// Where things stand never goes back: a request for information after charges or a decision
// is owed a reply, but the status, and the review window, stay.
TEST_F(ComplaintTrackingTest, ALaterRequestForInformationDoesNotUndoADecisionOrCharges) {
  auto kase = addCase("us-tx", "psychiatrist");
  setToday("2026-10-20");
  file(kase.id, "2026-03-01", "online", "TMB-7");
  ASSERT_TRUE(step(kase.id, "outcome", "2026-10-15", "", "closed_no_action").isOk());
  auto asked = step(kase.id, "info_requested", "2026-10-16", "2026-10-30");
  ASSERT_TRUE(asked.isOk()) << asked.status().toString();
  EXPECT_EQ(asked->state.status, jurisdiction::ComplaintStatus::kDecided);
  EXPECT_NE(stepOf(*asked, "outcome_review"), nullptr);
  EXPECT_NE(stepOf(*asked, "reply_info"), nullptr);
  auto sent = step(kase.id, "info_sent", "2026-10-20");
  ASSERT_TRUE(sent.isOk());
  EXPECT_EQ(sent->state.status, jurisdiction::ComplaintStatus::kDecided);
  EXPECT_NE(stepOf(*sent, "outcome_review"), nullptr);

  auto other = addCase("us-tx", "psychiatrist");
  file(other.id, "2026-03-01", "online", "TMB-8");
  ASSERT_TRUE(step(other.id, "outcome", "2026-09-01", "", "charges").isOk());
  auto charged = step(other.id, "info_requested", "2026-09-10");
  ASSERT_TRUE(charged.isOk());
  EXPECT_EQ(charged->state.status, jurisdiction::ComplaintStatus::kCharged);
  EXPECT_NE(stepOf(*charged, "charges"), nullptr);
  EXPECT_NE(stepOf(*charged, "reply_info_no_date"), nullptr);

  // A reply date long gone is said, not listed as late.
  setToday("2026-12-01");
  auto late = trackComplaint(services(), other.id);
  ASSERT_TRUE(late.isOk());
  auto old = addCase("us-ca", "LMFT");
  file(old.id, "2026-03-01");
  ASSERT_TRUE(step(old.id, "info_requested", "2026-03-10", "2026-03-24").isOk());
  auto gone = trackComplaint(services(), old.id);
  ASSERT_TRUE(gone.isOk());
  EXPECT_EQ(stepOf(*gone, "reply_info"), nullptr);
  ASSERT_NE(stepOf(*gone, "reply_info_passed"), nullptr);
  EXPECT_FALSE(stepOf(*gone, "reply_info_passed")->by);
}

// The older way of noting the day sent keeps to the same story: it cannot be cleared, or
// moved after a step, once steps are noted.
TEST_F(ComplaintTrackingTest, TheDaySentCannotBeUndoneUnderTheStepsAfterIt) {
  auto kase = addCase("us-ca", "LMFT");
  ReviewComplaint review;
  review.case_id = kase.id;
  ASSERT_TRUE(reviewComplaint(services(), review).isOk());
  ASSERT_TRUE(recordComplaintSent(services(), kase.id, day("2026-02-01")).isOk());
  ASSERT_TRUE(step(kase.id, "acknowledged", "2026-02-03").isOk());
  auto cleared = recordComplaintSent(services(), kase.id, std::nullopt);
  EXPECT_EQ(cleared.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(cleared.status().field(), "filed_on");
  auto moved = recordComplaintSent(services(), kase.id, day("2026-02-05"));
  EXPECT_EQ(moved.status().field(), "filed_on");
  auto still = trackComplaint(services(), kase.id);
  ASSERT_TRUE(still.isOk());
  EXPECT_EQ(*still->filed_on, day("2026-02-01"));
}

// Heard from on the day it was filed (an online filing acknowledged at once): the letter
// says so, never "I have not heard from you".
TEST_F(ComplaintTrackingTest, AnAcknowledgementOnTheFilingDayIsWordFromTheBoard) {
  auto kase = addCase("us-ca", "LMFT");
  file(kase.id, "2026-02-01", "online", "BBS-5");
  ASSERT_TRUE(step(kase.id, "acknowledged", "2026-02-01").isOk());
  LetterRequest req;
  req.form_id = "complaint-status-inquiry";
  req.case_id = kase.id;
  auto letter = makeLetter(services(), req);
  ASSERT_TRUE(letter.isOk()) << letter.status().toString();
  testing::TempDir dir;
  testing::writeBytes(dir.file("a.pdf"), letter->pdf);
  const std::string text = testing::foldedText(dir.file("a.pdf"));
  EXPECT_NE(text.find("The last I heard from you was on February 1, 2026."), std::string::npos)
      << text;
  EXPECT_EQ(text.find("not heard"), std::string::npos) << text;
}

// The caseload: a complaint still with the board is waiting; a decided one is neither waiting
// nor open; a letter that can go now stays in view.
TEST_F(ComplaintTrackingTest, TheCaseloadCountsOnlyComplaintsStillWithTheBoard) {
  auto waiting = addCase("us-ca", "LMFT");
  file(waiting.id, "2026-01-05");
  auto decided = addCase("us-ca", "LMFT");
  file(decided.id, "2026-01-05");
  ASSERT_TRUE(step(decided.id, "outcome", "2026-02-20", "", "closed_no_action").isOk());
  auto load = caseload(services(), 7);
  ASSERT_TRUE(load.isOk()) << load.status().toString();
  ASSERT_EQ(load->waiting.size(), 1u);
  EXPECT_EQ(load->waiting[0].case_id, waiting.id);
  bool letter_now = false;
  for (const auto& d : load->due_soon) {
    if (d.kind == DeadlineItem::Kind::kComplaintStep && d.case_id == waiting.id) letter_now = true;
  }
  EXPECT_TRUE(letter_now);  // its first reply was due 15 January: asking is offered since
  for (const auto& d : load->overdue) EXPECT_NE(d.kind, DeadlineItem::Kind::kComplaintStep);
}

}  // namespace
}  // namespace recourse::service
