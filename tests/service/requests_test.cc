// Records requests at the workflow level: defaults from the case, the event rules, the
// state derived from events and the law, errors naming their field.
#include "service/requests.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "fakes/service_fixture.h"

namespace recourse::service {
namespace {

core::Date day(const std::string& s) { return *core::Date::parse(s, "date"); }

class RequestsTest : public testing::ServiceTest {
 protected:
  NewEvent event(const std::string& id, core::RequestEventType type, const std::string& on,
                 const std::string& via = "") {
    NewEvent e;
    e.request_id = id;
    e.type = type;
    e.on = day(on);
    e.via = via;
    return e;
  }
};

TEST_F(RequestsTest, ANewRequestTakesTheCustodianFromTheCase) {
  auto kase = addCase("us-ca", "LMFT");
  auto added = addRequest(services(), {kase.id, {}, {}, {}, "", "", nullptr});
  ASSERT_TRUE(added.isOk()) << added.status().toString();
  EXPECT_EQ(added->request.custodian_name, "Bay Clinic");
  EXPECT_EQ(added->request.custodian_address, "1 Main St, Oakland, CA 94607");
  EXPECT_EQ(added->state.status, core::RequestStatus::kDraft);
  EXPECT_TRUE(added->events.empty());

  auto named = addRequest(
      services(), {kase.id, std::string("Oak Billing"), std::string(""), {}, "REF-1", "", nullptr});
  ASSERT_TRUE(named.isOk());
  EXPECT_EQ(named->request.custodian_name, "Oak Billing");
  EXPECT_EQ(named->request.custodian_address, "");

  auto missing = addRequest(services(), {"cs_nothere", {}, {}, {}, "", "", nullptr});
  EXPECT_EQ(missing.status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "case_id");
}

// What a person can ask for: each right with every law of the chain that gives it, nearest
// first (California's addendum law, then HIPAA); a right no law of the place gives (Ontario
// has no accounting of disclosures) is refused by name, and no request is stored.
TEST_F(RequestsTest, EachRightIsOfferedWithTheLawsThatGiveItAndRefusedWhereNoneDoes) {
  auto kase = addCase("us-ca", "LMFT");
  auto rights = requestRights(services(), kase.id);
  ASSERT_TRUE(rights.isOk()) << rights.status().toString();
  EXPECT_EQ(rights->jurisdiction, "us-ca");
  ASSERT_EQ(rights->rights.size(), 4u);
  const auto& amend = rights->rights[1];
  EXPECT_EQ(amend.kind, core::RequestKind::kAmendment);
  ASSERT_EQ(amend.laws.size(), 2u);
  EXPECT_EQ(amend.laws[0].jurisdiction, "us-ca");
  EXPECT_NE(amend.laws[0].citation.find("123111"), std::string::npos) << amend.laws[0].citation;
  EXPECT_EQ(amend.laws[1].jurisdiction, "us");
  EXPECT_NE(amend.laws[1].law_name.find("164.526"), std::string::npos);
  ASSERT_EQ(rights->rights[2].laws.size(), 1u);  // HIPAA's accounting only
  EXPECT_EQ(rights->rights[2].laws[0].jurisdiction, "us");
  // A health plan's records: HIPAA's access right, which covers health plans.
  EXPECT_EQ(rights->rights[3].kind, core::RequestKind::kClaims);
  ASSERT_EQ(rights->rights[3].laws.size(), 1u);
  EXPECT_NE(rights->rights[3].laws[0].citation.find("160.103"), std::string::npos);
  // What else the law says: the electronic copy (California's, then HIPAA's), that a
  // provider may not retaliate (45 CFR 160.316), and having a copy sent to someone else with
  // what the person's consent must say, nearest law first.
  std::vector<std::string> notes;
  for (const auto& n : rights->notes) notes.push_back(n.topic + " " + n.law.jurisdiction);
  EXPECT_EQ(notes, (std::vector<std::string>{"electronic_copy us-ca", "electronic_copy us",
                                             "retaliation us", "third_party_copy us-ca",
                                             "third_party_copy us", "third_party_consent us-ca",
                                             "third_party_consent us"}));
  EXPECT_FALSE(rights->notes[0].law.verified);  // read only in the bill's digest
  EXPECT_FALSE(rights->notes[0].law.caution.empty());
  EXPECT_NE(rights->notes[2].law.citation.find("160.316"), std::string::npos);

  auto ontario = addCase("ca-on", "registered_psychotherapist");
  rights = requestRights(services(), ontario.id);
  ASSERT_TRUE(rights.isOk());
  EXPECT_FALSE(rights->rights[1].laws.empty());  // PHIPA s. 55
  EXPECT_TRUE(rights->rights[2].laws.empty());
  NewRequest list{ontario.id, {}, {}, {}, "", "", nullptr, "accounting"};
  auto refused = addRequest(services(), list);
  EXPECT_EQ(refused.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "kind");
  EXPECT_EQ(refused.status().reason(), "right_not_here");
  EXPECT_NE(refused.status().message().find("Ontario"), std::string::npos);
  auto none = listRequests(services(), ontario.id);
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(none->empty());
  list.kind = "amendment";
  EXPECT_TRUE(addRequest(services(), list).isOk());
  EXPECT_EQ(requestRights(services(), "cs_nothere").status().field(), "case_id");
}

TEST_F(RequestsTest, EventsFollowTheRequestsStoryAndNothingWrongIsRecorded) {
  auto kase = addCase("us-ca", "LMFT");
  const std::string id = addRequest(services(), {kase.id, {}, {}, {}, "", "", nullptr})->request.id;
  using T = core::RequestEventType;
  auto early = recordEvent(services(), event(id, T::kDenied, "2026-03-01"));
  EXPECT_EQ(early.status().field(), "type");
  EXPECT_NE(early.status().message().find("sent first"), std::string::npos);
  auto future = recordEvent(services(), event(id, T::kSent, "2026-03-09", "mail"));
  EXPECT_EQ(future.status().field(), "on");
  auto no_via = recordEvent(services(), event(id, T::kSent, "2026-03-01"));
  EXPECT_EQ(no_via.status().field(), "via");
  EXPECT_TRUE(showRequest(services(), id)->events.empty());

  auto sent = recordEvent(services(), event(id, T::kSent, "2026-03-01", "mail"));
  ASSERT_TRUE(sent.isOk()) << sent.status().toString();
  EXPECT_EQ(sent->state.status, core::RequestStatus::kAwaiting);
  ASSERT_TRUE(sent->state.due.has_value());
  EXPECT_EQ(*sent->state.sent_on, day("2026-03-01"));

  auto before = recordEvent(services(), event(id, T::kAcknowledged, "2026-02-20"));
  EXPECT_EQ(before.status().field(), "on");
  EXPECT_NE(before.status().message().find("before the request was received on 2026-03-01"),
            std::string::npos);
  EXPECT_EQ(showRequest(services(), id)->events.size(), 1u);

  EXPECT_EQ(
      recordEvent(services(), event("rq_nothere", T::kSent, "2026-03-01", "mail")).status().field(),
      "request_id");
}

TEST_F(RequestsTest, ListingIsPerCaseAndALockedVaultIsNotAnEmptyList) {
  auto a = addCase();
  auto b = addCase();
  ASSERT_TRUE(addRequest(services(), {a.id, {}, {}, {}, "", "", nullptr}).isOk());
  ASSERT_TRUE(addRequest(services(), {b.id, {}, {}, {}, "", "", nullptr}).isOk());
  EXPECT_EQ(listRequests(services(), "")->size(), 2u);
  EXPECT_EQ(listRequests(services(), a.id)->size(), 1u);
  EXPECT_EQ(listRequests(services(), "cs_nothere").status().field(), "case_id");
  store().lock();
  EXPECT_EQ(listRequests(services(), "").status().code(), core::StatusCode::kUnauthenticated);
}

TEST_F(RequestsTest, ASecondSendCorrectsTheSentDateAndTheDueDateMovesWithIt) {
  auto kase = addCase("us", "LMFT");  // HIPAA alone: 30 calendar days
  const std::string id = addRequest(services(), {kase.id, {}, {}, {}, "", "", nullptr})->request.id;
  using T = core::RequestEventType;
  auto first = recordEvent(services(), event(id, T::kSent, "2026-01-05", "mail"));
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(*first->state.due, day("2026-02-04"));

  auto corrected = recordEvent(services(), event(id, T::kSent, "2026-01-12", "email"));
  ASSERT_TRUE(corrected.isOk()) << corrected.status().toString();
  EXPECT_EQ(*corrected->state.sent_on, day("2026-01-12"));
  EXPECT_EQ(*corrected->state.due, day("2026-02-11"));
  // The correction replaces the sent date: one sent event, with the new day and channel.
  auto shown = showRequest(services(), id);
  ASSERT_EQ(shown->events.size(), 1u);
  EXPECT_EQ(shown->events[0].on, day("2026-01-12"));
  EXPECT_EQ(shown->events[0].via, "email");
  EXPECT_EQ(*shown->state.due, day("2026-02-11"));

  // A sent date after something that already happened is refused, and nothing changes.
  ASSERT_TRUE(recordEvent(services(), event(id, T::kAcknowledged, "2026-01-20")).isOk());
  auto late = recordEvent(services(), event(id, T::kSent, "2026-01-25", "mail"));
  EXPECT_EQ(late.status().field(), "on");
  EXPECT_EQ(*showRequest(services(), id)->state.sent_on, day("2026-01-12"));
}

TEST_F(RequestsTest, ARecordedEventIsCorrectedOrRemovedWithinTheRequestsStory) {
  auto kase = addCase("us", "LMFT");  // HIPAA alone: 30 calendar days
  const std::string id = addRequest(services(), {kase.id, {}, {}, {}, "", "", nullptr})->request.id;
  using T = core::RequestEventType;
  ASSERT_TRUE(recordEvent(services(), event(id, T::kSent, "2026-01-05", "mail")).isOk());
  auto idOf = [&](T type) {
    auto shown = showRequest(services(), id);
    if (!shown.isOk()) return std::string();
    for (const auto& e : shown->events) {
      if (e.type == type) return e.id;
    }
    return std::string();
  };
  const std::string sent = idOf(T::kSent);
  ASSERT_TRUE(recordEvent(services(), event(id, T::kAcknowledged, "2026-01-10")).isOk());
  ASSERT_TRUE(recordEvent(services(), event(id, T::kDenied, "2026-01-20")).isOk());
  const std::string ack = idOf(T::kAcknowledged);
  const std::string denied = idOf(T::kDenied);
  ASSERT_FALSE(ack.empty());
  ASSERT_FALSE(denied.empty());
  EXPECT_EQ(showRequest(services(), id)->state.status, core::RequestStatus::kDenied);

  // Each refusal names its field and changes nothing.
  auto before_sent = editEvent(services(), {denied, day("2026-01-02"), {}, {}, {}});
  EXPECT_EQ(before_sent.status().field(), "on");
  EXPECT_NE(before_sent.status().message().find("before the request was received on 2026-01-05"),
            std::string::npos);
  EXPECT_EQ(before_sent.status().reason(), "before_received");
  auto sent_too_late = editEvent(services(), {sent, day("2026-01-15"), {}, {}, {}});
  EXPECT_EQ(sent_too_late.status().field(), "on");
  EXPECT_NE(sent_too_late.status().message().find("acknowledged recorded on 2026-01-10"),
            std::string::npos);
  EXPECT_EQ(editEvent(services(), {denied, day("2026-03-09"), {}, {}, {}}).status().field(), "on");
  EXPECT_EQ(editEvent(services(), {sent, {}, std::string(""), {}, {}}).status().field(), "via");
  EXPECT_EQ(editEvent(services(), {sent, {}, std::string("pigeon"), {}, {}}).status().field(),
            "via");
  EXPECT_EQ(editEvent(services(), {ack, {}, {}, {}, 7}).status().field(), "reply_within_days");
  EXPECT_EQ(editEvent(services(), {"ev_nothere", {}, {}, {}, {}}).status().field(), "event_id");
  auto unchanged = showRequest(services(), id);
  ASSERT_TRUE(unchanged.isOk());
  const std::vector<core::RequestEvent> kept = unchanged->events;
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].on, day("2026-01-05"));
  EXPECT_EQ(kept[2].on, day("2026-01-20"));
  EXPECT_EQ(unchanged->state.due, std::optional<core::Date>(day("2026-02-04")));

  // A corrected day moves the due date; notes are replaced.
  auto moved = editEvent(services(), {sent, day("2026-01-08"), std::string("email"), {}, {}});
  ASSERT_TRUE(moved.isOk()) << moved.status().toString();
  EXPECT_EQ(moved->state.sent_on, std::optional<core::Date>(day("2026-01-08")));
  EXPECT_EQ(moved->state.due, std::optional<core::Date>(day("2026-02-07")));
  const std::vector<core::RequestEvent> after_move = moved->events;
  ASSERT_EQ(after_move.size(), 3u);
  EXPECT_EQ(after_move[0].via, "email");
  auto noted = editEvent(services(), {denied, {}, {}, std::string("They said no by phone."), {}});
  ASSERT_TRUE(noted.isOk()) << noted.status().toString();
  const std::vector<core::RequestEvent> after_note = noted->events;
  ASSERT_EQ(after_note.size(), 3u);
  EXPECT_EQ(after_note[2].details, "They said no by phone.");
  EXPECT_EQ(after_note[2].type, T::kDenied);

  // Removing: the status is worked out again without the event.
  auto undenied = deleteEvent(services(), denied);
  ASSERT_TRUE(undenied.isOk()) << undenied.status().toString();
  EXPECT_EQ(undenied->events.size(), 2u);
  EXPECT_NE(undenied->state.status, core::RequestStatus::kDenied);
  EXPECT_EQ(store().auditEvents()->back().action, "request.event.delete");
  // The day it was received goes only once nothing counts from it.
  auto first = deleteEvent(services(), sent);
  EXPECT_EQ(first.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(first.status().field(), "event_id");
  EXPECT_NE(first.status().message().find("acknowledged"), std::string::npos);
  EXPECT_EQ(first.status().reason(), "received_has_later_events");
  EXPECT_EQ(showRequest(services(), id)->events.size(), 2u);
  ASSERT_TRUE(deleteEvent(services(), ack).isOk());
  auto draft = deleteEvent(services(), sent);
  ASSERT_TRUE(draft.isOk()) << draft.status().toString();
  EXPECT_EQ(draft->state.status, core::RequestStatus::kDraft);
  EXPECT_TRUE(draft->events.empty());
  EXPECT_EQ(deleteEvent(services(), sent).status().code(), core::StatusCode::kNotFound);
}

TEST_F(RequestsTest, AFollowUpSentWaitsForItsOwnReplyWindowBeforeAnotherIsSuggested) {
  auto kase = addCase("us", "LMFT");
  const std::string id = addRequest(services(), {kase.id, {}, {}, {}, "", "", nullptr})->request.id;
  using T = core::RequestEventType;
  ASSERT_TRUE(recordEvent(services(), event(id, T::kSent, "2026-01-05", "mail")).isOk());
  auto suggests_followup = [](const jurisdiction::RequestState& s) {
    return std::any_of(s.next.begin(), s.next.end(), [](const jurisdiction::NextStep& n) {
      return n.form == "records-followup";
    });
  };
  auto overdue = showRequest(services(), id);
  EXPECT_EQ(overdue->state.status, core::RequestStatus::kOverdue);
  EXPECT_TRUE(suggests_followup(overdue->state));

  // Sent on 2026-02-20 asking for a reply within 14 days (the default): until 2026-03-06.
  auto followed = recordEvent(services(), event(id, T::kFollowUpSent, "2026-02-20", "mail"));
  ASSERT_TRUE(followed.isOk()) << followed.status().toString();
  EXPECT_FALSE(suggests_followup(followed->state));
  EXPECT_EQ(followed->state.status, core::RequestStatus::kOverdue);
  ASSERT_TRUE(followed->state.followup_reply_by.has_value());
  EXPECT_EQ(*followed->state.followup_reply_by, day("2026-03-06"));
  EXPECT_TRUE(followed->state.awaiting_followup_reply);

  clock_.advance(std::chrono::hours(24 * 4));  // 2026-03-06: the window's last day
  EXPECT_FALSE(suggests_followup(showRequest(services(), id)->state));
  clock_.advance(std::chrono::hours(24));  // 2026-03-07
  auto after = showRequest(services(), id);
  EXPECT_TRUE(suggests_followup(after->state));
  EXPECT_FALSE(after->state.awaiting_followup_reply);
}

TEST_F(RequestsTest, AFollowUpsRecordedReplyWindowIsTheOneCounted) {
  auto kase = addCase("us", "LMFT");
  const std::string id = addRequest(services(), {kase.id, {}, {}, {}, "", "", nullptr})->request.id;
  using T = core::RequestEventType;
  ASSERT_TRUE(recordEvent(services(), event(id, T::kSent, "2026-01-05", "mail")).isOk());
  NewEvent f = event(id, T::kFollowUpSent, "2026-02-20", "mail");
  f.reply_within_days = 7;
  auto followed = recordEvent(services(), f);
  ASSERT_TRUE(followed.isOk()) << followed.status().toString();
  EXPECT_EQ(*followed->state.followup_reply_by, day("2026-02-27"));
  EXPECT_EQ(showRequest(services(), id)->events.back().reply_within_days, 7);
  EXPECT_FALSE(followed->state.awaiting_followup_reply);  // today is 2026-03-02
}

TEST_F(RequestsTest, AnUnpaidFeeStopsTheClockWithTheDaysRemainingKept) {
  auto kase = addCase("us", "LMFT");
  const std::string id = addRequest(services(), {kase.id, {}, {}, {}, "", "", nullptr})->request.id;
  using T = core::RequestEventType;
  ASSERT_TRUE(recordEvent(services(), event(id, T::kSent, "2026-01-05", "mail")).isOk());
  // Due 2026-02-04; the fee was quoted on 2026-01-15, with 20 days left.
  auto quoted = recordEvent(services(), event(id, T::kFeeQuoted, "2026-01-15"));
  ASSERT_TRUE(quoted.isOk()) << quoted.status().toString();
  EXPECT_TRUE(quoted->state.clock_stopped);
  EXPECT_FALSE(quoted->state.due.has_value());
  EXPECT_EQ(quoted->state.days_left, 20);
  EXPECT_EQ(*quoted->state.stopped_on, day("2026-01-15"));
  EXPECT_NE(quoted->state.status, core::RequestStatus::kOverdue);
  clock_.advance(std::chrono::hours(24 * 10));
  auto later = showRequest(services(), id);
  EXPECT_FALSE(later->state.due.has_value());
  EXPECT_EQ(later->state.days_left, 20);

  // Paid on 2026-03-12: the clock runs again with those 20 days.
  auto paid = recordEvent(services(), event(id, T::kFeePaid, "2026-03-12"));
  ASSERT_TRUE(paid.isOk()) << paid.status().toString();
  EXPECT_FALSE(paid->state.clock_stopped);
  ASSERT_TRUE(paid->state.due.has_value());
  EXPECT_EQ(*paid->state.due, day("2026-04-01"));
  EXPECT_EQ(paid->state.days_left, 20);
}

}  // namespace
}  // namespace recourse::service
