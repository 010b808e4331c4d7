#include "jurisdiction/complaint_tracking.h"

#include <algorithm>

#include "jurisdiction/deadline.h"

namespace recourse::jurisdiction {
namespace {

using core::ComplaintEventType;
using core::ComplaintOutcome;

BoardFact factOf(std::string key, const std::string& text, const FactMeta& meta) {
  return {std::move(key), text, meta.source.citation, meta.verified, meta.caution};
}

// Whether a review right given for `outcomes` (none listed: closed with no action or with
// non-disciplinary action) covers `o`.
bool reviewCovers(const OutcomeReview& review, ComplaintOutcome o) {
  if (review.outcomes.empty()) {
    return o == ComplaintOutcome::kClosedNoAction || o == ComplaintOutcome::kNonDisciplinary;
  }
  return std::find(review.outcomes.begin(), review.outcomes.end(), core::complaintOutcomeName(o)) !=
         review.outcomes.end();
}

void addReviewSteps(const Board* board, const std::string& jurisdiction_id,
                    const Registry& registry, const ComplaintState& st, const core::Date& today,
                    std::vector<ComplaintStep>* next) {
  const ComplaintOutcome outcome = *st.outcome;
  if (outcome == ComplaintOutcome::kReferredElsewhere) {
    next->push_back({/*key=*/"referred",
                     {/*notice=*/"complaint.referred",
                      {},
                      "The board sent your complaint on to another body. Its letter should say "
                      "which one; you can note here what happens there."}});
  }
  if (board == nullptr || !board->outcome_review) {
    if (outcome == ComplaintOutcome::kClosedNoAction ||
        outcome == ComplaintOutcome::kNonDisciplinary) {
      next->push_back({/*key=*/"review_unknown",
                       {/*notice=*/"complaint.review_unknown",
                        {},
                        "Recourse's information does not say whether this decision can be "
                        "looked at again. The board's letter may say; you can also ask the "
                        "board."}});
    }
    return;
  }
  const OutcomeReview& review = *board->outcome_review;
  if (!reviewCovers(review, outcome)) return;
  if (!review.available) {
    next->push_back({/*key=*/"no_review",
                     {/*notice=*/"complaint.no_review",
                      {{"summary", review.summary}, {"citation", review.meta.source.citation}},
                      review.summary},
                     std::nullopt,
                     false,
                     review.meta.source.citation,
                     review.meta.verified,
                     review.meta.caution});
    return;
  }
  if (review.time_limit && review.time_limit->count) {
    const DayRule& limit = *review.time_limit;
    const core::Date by = lastDayUnder(registry, jurisdiction_id, limit, *st.outcome_on);
    const bool verified = review.meta.verified && limit.meta.verified;
    const std::string& caution = !limit.meta.verified ? limit.meta.caution : review.meta.caution;
    const std::string& citation = limit.meta.source.citation;
    if (by < today) {
      // Said, not listed as late: not asking is as much the person's choice as asking.
      next->push_back(
          {/*key=*/"outcome_review_ended",
           {/*notice=*/"complaint.outcome_review_ended",
            {{"body", review.body}, {"by", by.toString()}, {"citation", citation}},
            "The time to ask " + review.body + " to look at the decision again ended on " +
                by.toString() + " (" + citation + ")."},
           std::nullopt,
           false,
           citation,
           verified,
           caution});
      return;
    }
    // Counted from the outcome's day, which the person gives as the date on the decision:
    // the earliest day any of the data's rules count from (the day of the decision, the date
    // on its letter, the day it was received). The rule's own words follow.
    next->push_back({/*key=*/"outcome_review",
                     {/*notice=*/"complaint.outcome_review",
                      {{"body", review.body},
                       {"by", by.toString()},
                       {"citation", citation},
                       {"note", limit.summary}},
                      "If you disagree with the decision, you can ask " + review.body +
                          " to look at it again, by " + by.toString() + " (" + citation + ")." +
                          (limit.summary.empty() ? "" : " " + limit.summary)},
                     by,
                     true,
                     citation,
                     verified,
                     caution,
                     /*form=*/""});
    return;
  }
  next->push_back({/*key=*/"outcome_review_no_limit",
                   {/*notice=*/"complaint.outcome_review_no_limit",
                    {{"body", review.body}, {"summary", review.summary}},
                    "If you disagree with the decision, you can ask " + review.body +
                        " to look at it again: " + review.summary},
                   std::nullopt,
                   false,
                   review.meta.source.citation,
                   review.meta.verified,
                   review.meta.caution});
}

}  // namespace

const char* complaintStatusName(ComplaintStatus s) {
  switch (s) {
    case ComplaintStatus::kNotFiled:
      return "not_filed";
    case ComplaintStatus::kFiled:
      return "filed";
    case ComplaintStatus::kAcknowledged:
      return "acknowledged";
    case ComplaintStatus::kUnderInvestigation:
      return "under_investigation";
    case ComplaintStatus::kInfoRequested:
      return "info_requested";
    case ComplaintStatus::kCharged:
      return "charged";
    case ComplaintStatus::kDecided:
      return "decided";
    case ComplaintStatus::kReviewRequested:
      return "review_requested";
    case ComplaintStatus::kReviewDecided:
      return "review_decided";
    case ComplaintStatus::kWithdrawn:
      return "withdrawn";
  }
  return "not_filed";
}

ComplaintState deriveComplaintState(const core::Complaint& complaint,
                                    const std::vector<core::ComplaintEvent>& events,
                                    const Board* board, const std::string& jurisdiction_id,
                                    const Registry& registry, const core::Date& today) {
  ComplaintState st;
  if (board != nullptr) {
    if (board->process) {
      st.board_facts.push_back(factOf("process", board->process->summary, board->process->meta));
    }
    if (board->published_timeline) {
      st.board_facts.push_back(factOf("published_timeline", board->published_timeline->summary,
                                      board->published_timeline->meta));
    }
  }
  if (!complaint.filed_on) return st;
  st.filed_on = complaint.filed_on;
  st.status = ComplaintStatus::kFiled;
  st.last_word = complaint.filed_on;
  std::optional<core::Date> last_inquiry;
  bool& heard = st.heard;  // any word from the board since filing
  for (const auto& e : events) {
    if (core::isWordFromBoard(e.type)) {
      heard = true;
      if (*st.last_word < e.on) st.last_word = e.on;
    }
    switch (e.type) {
      case ComplaintEventType::kAcknowledged:
        if (st.status == ComplaintStatus::kFiled) st.status = ComplaintStatus::kAcknowledged;
        break;
      case ComplaintEventType::kInvestigatorContact:
      case ComplaintEventType::kInterview:
        if (st.status == ComplaintStatus::kFiled || st.status == ComplaintStatus::kAcknowledged) {
          st.status = ComplaintStatus::kUnderInvestigation;
        }
        break;
      case ComplaintEventType::kInfoRequested:
        st.info_requested_on = e.on;
        st.info_reply_by = e.reply_by;
        // Asked while the board is still looking into it; asked after charges, a decision or
        // a review request, the reply is owed but where things stand does not go back.
        if (st.status == ComplaintStatus::kFiled || st.status == ComplaintStatus::kAcknowledged ||
            st.status == ComplaintStatus::kUnderInvestigation) {
          st.status = ComplaintStatus::kInfoRequested;
        }
        break;
      case ComplaintEventType::kInfoSent:
        if (st.info_requested_on) {
          st.info_requested_on.reset();
          st.info_reply_by.reset();
          if (st.status == ComplaintStatus::kInfoRequested) {
            st.status = ComplaintStatus::kUnderInvestigation;
          }
        }
        break;
      case ComplaintEventType::kBoardUpdate:
        if (st.status == ComplaintStatus::kFiled) st.status = ComplaintStatus::kAcknowledged;
        break;
      case ComplaintEventType::kStatusInquirySent:
        last_inquiry = e.on;
        break;
      case ComplaintEventType::kOutcome:
        st.outcome = e.outcome;
        st.outcome_on = e.on;
        st.status = e.outcome && !core::isFinalOutcome(*e.outcome) ? ComplaintStatus::kCharged
                                                                   : ComplaintStatus::kDecided;
        // A decision answers whatever the board had asked.
        st.info_requested_on.reset();
        st.info_reply_by.reset();
        break;
      case ComplaintEventType::kReviewRequested:
        st.status = ComplaintStatus::kReviewRequested;
        break;
      case ComplaintEventType::kReviewDecided:
        st.status = ComplaintStatus::kReviewDecided;
        break;
      case ComplaintEventType::kWithdrawn:
        st.status = ComplaintStatus::kWithdrawn;
        st.info_requested_on.reset();
        st.info_reply_by.reset();
        break;
    }
  }

  if (board != nullptr && board->outcome_review) {
    const OutcomeReview& r = *board->outcome_review;
    st.board_facts.push_back(factOf("outcome_review", r.summary, r.meta));
  }

  const bool open = st.status != ComplaintStatus::kDecided &&
                    st.status != ComplaintStatus::kReviewDecided &&
                    st.status != ComplaintStatus::kWithdrawn;
  // The board's first reply, while nothing has been heard.
  std::optional<core::Date> first_reply_by;
  if (open && !heard && board != nullptr && board->first_reply && board->first_reply->count) {
    const DayRule& rule = *board->first_reply;
    first_reply_by = lastDayUnder(registry, jurisdiction_id, rule, *st.filed_on);
    // The data's own words say what is owed by then (a reply, a decision to investigate).
    // Counted from the day it was sent: by post it arrived later.
    const bool by_post = complaint.filed_via == "mail";
    std::string text = "Expected by " + first_reply_by->toString() + ": " + rule.summary + " (" +
                       rule.meta.source.citation + ").";
    if (by_post) text += " Counted from the day you sent it: by post, allow a few days more.";
    st.next.push_back(
        {/*key=*/"first_reply",
         {by_post ? /*notice=*/"complaint.first_reply_by_post" : /*notice=*/"complaint.first_reply",
          {{"by", first_reply_by->toString()},
           {"summary", rule.summary},
           {"citation", rule.meta.source.citation}},
          text},
         first_reply_by,
         false,
         rule.meta.source.citation,
         rule.meta.verified,
         rule.meta.caution});
  }
  // A reply date more than this many days gone is said without a date, not listed as late.
  constexpr int kReplyShownPassedDays = 30;
  if (st.info_requested_on) {
    if (st.info_reply_by && addDays(*st.info_reply_by, kReplyShownPassedDays) < today) {
      st.next.push_back(
          {/*key=*/"reply_info_passed",
           {/*notice=*/"complaint.reply_info_passed",
            {{"asked", st.info_requested_on->toString()}, {"by", st.info_reply_by->toString()}},
            "The board asked for more information on " + st.info_requested_on->toString() +
                ", by " + st.info_reply_by->toString() +
                ". If you sent it, you can note that here; if not, you can still send it, or ask "
                "the board whether it is still needed."}});
    } else if (st.info_reply_by) {
      st.next.push_back(
          {/*key=*/"reply_info",
           {/*notice=*/"complaint.reply_info",
            {{"asked", st.info_requested_on->toString()}, {"by", st.info_reply_by->toString()}},
            "The board asked for more information on " + st.info_requested_on->toString() +
                ": reply by " + st.info_reply_by->toString() + "."},
           st.info_reply_by,
           true});
    } else {
      st.next.push_back(
          {/*key=*/"reply_info_no_date",
           {/*notice=*/"complaint.reply_info_no_date",
            {{"asked", st.info_requested_on->toString()}},
            "The board asked for more information on " + st.info_requested_on->toString() +
                " and gave no date to reply by. You can ask the board how long you "
                "have."}});
    }
  }
  if (st.status == ComplaintStatus::kCharged) {
    st.next.push_back({/*key=*/"charges",
                       {/*notice=*/"complaint.charges",
                        {},
                        "The board has brought formal charges. A hearing or an agreed settlement "
                        "usually comes next; you can ask the board whether you will be needed "
                        "and how you will hear the result."}});
  }
  if (st.status == ComplaintStatus::kDecided && st.outcome) {
    addReviewSteps(board, jurisdiction_id, registry, st, today, &st.next);
  }
  // Asking where things stand: six months after the board was last heard from or the last
  // such letter, whichever is later; sooner when the board's own first-reply time has passed
  // with nothing heard.
  if (open) {
    core::Date from = *st.last_word;
    if (last_inquiry && from < *last_inquiry) from = *last_inquiry;
    core::Date when = addMonths(from, kStatusInquiryMonths);
    if (first_reply_by && !last_inquiry) when = std::min(when, addDays(*first_reply_by, 1));
    const std::string since = st.last_word->toString();
    const bool now = !(today < when);
    st.next.push_back(
        {/*key=*/"status_inquiry",
         {now ? /*notice=*/"complaint.status_inquiry_now" : /*notice=*/"complaint.status_inquiry",
          {{"since", since}, {"from", when.toString()}},
          now ? "No word from the board since " + since +
                    ". If you want, Recourse can make a short letter asking where things stand."
              : "If there is no word from the board by " + when.toString() +
                    ", you can ask where things stand; Recourse can make a short letter for it."},
         when,
         false,
         "",
         true,
         "",
         /*form=*/"complaint-status-inquiry"});
  }
  return st;
}

}  // namespace recourse::jurisdiction
