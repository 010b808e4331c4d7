#include "service/requests.h"

#include <algorithm>
#include <sstream>
#include <unordered_map>

#include "core/validation.h"
#include "service/errors.h"
#include "service/people.h"
#include "store/store.h"

namespace recourse::service {
namespace {

// A day the request was received that comes after something it started: reason
// "received_after_event" {day, event, event_on}.
core::Status receivedAfter(const core::Date& day, const core::RequestEvent& x,
                           const std::string& field) {
  return core::invalidArgument(day.toString() + " is after the " + core::requestEventName(x.type) +
                               " recorded on " + x.on.toString() +
                               "; the request was received before that")
      .withField(field)
      .withReason("received_after_event", {{"day", day.toString()},
                                           {"event", std::string(core::requestEventName(x.type))},
                                           {"event_on", x.on.toString()}});
}

// Something that happened before the request was received: reason "before_received" {day,
// received}.
core::Status beforeReceived(const core::Date& day, const core::Date& received,
                            const std::string& field) {
  return core::invalidArgument(day.toString() + " is before the request was received on " +
                               received.toString())
      .withField(field)
      .withReason("before_received", {{"day", day.toString()}, {"received", received.toString()}});
}

// How many days a follow-up gives them to reply, outside 1..365: reason "days_out_of_range"
// {min, max}.
core::Status replyDaysOutOfRange() {
  return core::invalidArgument("must be between 1 and 365 days")
      .withField("reply_within_days")
      .withReason("days_out_of_range", {{"min", "1"}, {"max", "365"}});
}

// A right the law of a known place does not give: reason "right_not_here" {kind, place}.
core::Status rightNotHere(core::RequestKind kind, const jurisdiction::Jurisdiction& j) {
  const std::string what = kind == core::RequestKind::kAmendment
                               ? "a right to have records corrected"
                           : kind == core::RequestKind::kAccounting
                               ? "a right to a list of who records were disclosed to"
                               : "a right to a health plan's records of claims";
  return core::invalidArgument("Recourse knows no law of " + j.name + " that gives " + what +
                               "; see `recourse jurisdictions show " + j.id + "`")
      .withField("kind")
      .withReason("right_not_here",
                  {{"kind", std::string(core::requestKindName(kind))}, {"place", j.name}});
}

core::StatusOr<TrackedRequest> track(Services& s, core::RecordsRequest r,
                                     const core::Case* known_case) {
  TrackedRequest t;
  RECOURSE_ASSIGN_OR_RETURN(t.events, s.store.listRequestEvents(r.id));
  // The provider's license too: a time limit the law sets for it counts (Texas physicians).
  std::optional<core::Case> fetched;
  if (known_case == nullptr) {
    RECOURSE_ASSIGN_OR_RETURN(fetched, s.store.getCase(r.case_id));
    known_case = &*fetched;
  }
  const std::string jid =
      r.jurisdiction.empty() ? known_case->provider.jurisdiction : r.jurisdiction;
  const std::string license =
      s.catalog.law().resolveLicense(known_case->provider.license_type, jid);
  t.state = jurisdiction::deriveRequestState(jid, t.events, s.catalog.law(), s.clock.today(),
                                             r.kind, license);
  t.request = std::move(r);
  return t;
}

// Replaces the day, channel and details of the recorded sent event (the newest recorded,
// as deriveRequestState counts) with those of `e`.
core::StatusOr<TrackedRequest> correctSent(Services& s, core::RecordsRequest r,
                                           const std::vector<core::RequestEvent>& events,
                                           const core::RequestEvent& e) {
  const core::RequestEvent* sent = nullptr;
  for (const auto& x : events) {
    if (x.type == core::RequestEventType::kSent &&
        (sent == nullptr || !(x.recorded_at < sent->recorded_at))) {
      sent = &x;
    }
  }
  for (const auto& x : events) {
    if (x.type != core::RequestEventType::kSent && x.on < e.on) {
      return receivedAfter(e.on, x, "on");
    }
  }
  core::RequestEvent fixed = *sent;
  fixed.on = e.on;
  if (!e.via.empty()) fixed.via = e.via;
  if (!e.details.empty()) fixed.details = e.details;
  RECOURSE_RETURN_IF_ERROR(s.store.updateRequestEvent(fixed).status());
  return track(s, std::move(r), nullptr);
}

}  // namespace

core::StatusOr<TrackedRequest> addRequest(Services& s, const NewRequest& in) {
  if (in.case_id.empty()) return core::invalidArgument("is required").withField("case_id");
  auto kase = s.store.getCase(in.case_id);
  if (!kase.isOk()) {
    return notFoundAs(kase.status(), "no case with id " + in.case_id, "case_id");
  }
  const core::Provider& p = kase->provider;
  core::RecordsRequest r;
  r.case_id = kase->id;
  r.reference = in.reference;
  if (!in.kind.empty()) {
    auto kind = core::parseRequestKind(in.kind);
    if (!kind) {
      return core::invalidArgument("\"" + in.kind.substr(0, 30) +
                                   "\" is not one of access (a copy of the records), amendment "
                                   "(a correction), accounting (a list of disclosures) or claims "
                                   "(a health plan's records of what was billed)")
          .withField("kind");
    }
    r.kind = *kind;
  }
  // A health plan holds the claims: it is named by the person, never taken to be the
  // therapist's practice.
  const bool to_plan = r.kind == core::RequestKind::kClaims;
  if (to_plan && (!in.custodian_name || in.custodian_name->empty())) {
    return core::invalidArgument("is required: the name of the health plan or insurer")
        .withField("custodian_name")
        .withReason("plan_needed", {});
  }
  r.custodian_name = in.custodian_name    ? *in.custodian_name
                     : p.practice.empty() ? p.name
                                          : p.practice;
  r.custodian_address = in.custodian_address ? *in.custodian_address : to_plan ? "" : p.address;
  r.custodian_email = in.custodian_email ? *in.custodian_email : to_plan ? "" : p.email;
  if (!in.jurisdiction.empty()) {
    RECOURSE_ASSIGN_OR_RETURN(r.jurisdiction,
                              s.catalog.law().checkJurisdiction(in.jurisdiction, "jurisdiction"));
  }
  // A correction or a list asked for where Recourse knows the law and that law gives no such
  // right: the letter would have nothing to cite and no date to count.
  const std::string place = r.jurisdiction.empty() ? p.jurisdiction : r.jurisdiction;
  if (const auto* j = s.catalog.law().find(place);
      j != nullptr && r.kind != core::RequestKind::kAccess &&
      s.catalog.law().givingRight(place, r.kind).empty()) {
    return rightNotHere(r.kind, *j);
  }
  if (in.answers) {
    std::ostringstream os;
    in.answers->stringify(os);
    r.answers_json = os.str();
  }
  RECOURSE_ASSIGN_OR_RETURN(auto added, s.store.addRequest(r));
  return track(s, std::move(added), &*kase);
}

core::StatusOr<RequestRights> requestRights(Services& s, const std::string& case_id) {
  auto kase = s.store.getCase(case_id);
  if (!kase.isOk()) {
    return notFoundAs(kase.status(), "no case with id " + case_id, "case_id");
  }
  const auto& law = s.catalog.law();
  RequestRights out;
  const jurisdiction::Jurisdiction* place = law.find(kase->provider.jurisdiction);
  if (place != nullptr) {
    out.jurisdiction = place->id;
    out.jurisdiction_name = place->name;
  }
  for (const auto kind : {core::RequestKind::kAccess, core::RequestKind::kAmendment,
                          core::RequestKind::kAccounting, core::RequestKind::kClaims}) {
    RequestRight right;
    right.kind = kind;
    if (place != nullptr) {
      for (const jurisdiction::Jurisdiction* j : law.givingRight(place->id, kind)) {
        RightLaw l;
        l.jurisdiction = j->id;
        l.jurisdiction_name = j->name;
        const jurisdiction::FactMeta* meta = nullptr;
        if (kind == core::RequestKind::kAccess) {
          l.law_name = j->records_access->law_name;
          l.summary = j->records_access->summary;
          meta = &j->records_access->meta;
        } else {
          const auto& r = kind == core::RequestKind::kAmendment    ? *j->records_amendment
                          : kind == core::RequestKind::kAccounting ? *j->disclosures_accounting
                                                                   : *j->health_plan_access;
          l.law_name = r.law_name;
          l.summary = r.summary;
          meta = &r.meta;
        }
        l.citation = meta->source.citation;
        l.verified = meta->verified;
        l.caution = meta->caution;
        right.laws.push_back(std::move(l));
      }
    }
    out.rights.push_back(std::move(right));
  }
  if (place != nullptr) {
    for (const char* topic : {"electronic_copy", "retaliation"}) {
      for (const jurisdiction::Jurisdiction* j : law.chain(place->id)) {
        if (!j->records_access) continue;
        const auto& fact = std::string(topic) == "electronic_copy"
                               ? j->records_access->electronic_copy
                               : j->records_access->retaliation;
        if (!fact) continue;
        RightNote n;
        n.topic = topic;
        n.law.jurisdiction = j->id;
        n.law.jurisdiction_name = j->name;
        n.law.summary = fact->summary;
        n.law.citation = fact->meta.source.citation;
        n.law.verified = fact->meta.verified;
        n.law.caution = fact->meta.caution;
        out.notes.push_back(std::move(n));
      }
    }
    // Sending a copy straight to someone else: the right to direct it, then what the
    // person's written consent must say, each law nearest first.
    for (const char* topic : {"third_party_copy", "third_party_consent"}) {
      for (const jurisdiction::Jurisdiction* j : law.chain(place->id)) {
        if (!j->records_access || !j->records_access->third_party_copy) continue;
        const auto& t = *j->records_access->third_party_copy;
        const bool direct = std::string(topic) == "third_party_copy";
        if (!direct && !t.consent) continue;
        const jurisdiction::FactMeta& meta = direct ? t.meta : t.consent->meta;
        RightNote n;
        n.topic = topic;
        n.law.jurisdiction = j->id;
        n.law.jurisdiction_name = j->name;
        n.law.summary = direct ? t.summary : t.consent->summary;
        n.law.citation = meta.source.citation;
        n.law.verified = meta.verified;
        n.law.caution = meta.caution;
        if (!direct) n.elements = t.consent->elements;
        out.notes.push_back(std::move(n));
      }
    }
  }
  return out;
}

core::StatusOr<TrackedRequest> recordEvent(Services& s, const NewEvent& e) {
  if (s.clock.today() < e.on) {
    return dayInFuture(e.on, "on");
  }
  if (e.type == core::RequestEventType::kSent && e.via.empty()) {
    return core::invalidArgument("is required").withField("via").withReason("required");
  }
  if (e.reply_within_days < 0 || e.reply_within_days > 365) {
    return replyDaysOutOfRange();
  }
  auto request = s.store.getRequest(e.request_id);
  if (!request.isOk()) {
    return notFoundAs(request.status(), "no records request with id " + e.request_id, "request_id");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto before, s.store.listRequestEvents(e.request_id));
  const auto sent = std::find_if(before.begin(), before.end(), [](const core::RequestEvent& x) {
    return x.type == core::RequestEventType::kSent;
  });
  if (e.type == core::RequestEventType::kSent && sent != before.end()) {
    return correctSent(s, std::move(request).value(), before, e);
  }
  if (e.type != core::RequestEventType::kSent && e.type != core::RequestEventType::kWithdrawn &&
      e.type != core::RequestEventType::kClosed && sent == before.end()) {
    return core::invalidArgument("record when the request was sent first")
        .withField("type")
        .withReason("not_sent_yet");
  }
  for (const auto& x : before) {
    if (x.type == core::RequestEventType::kSent && e.type != core::RequestEventType::kSent &&
        e.on < x.on) {
      return beforeReceived(e.on, x.on, "on");
    }
  }
  RECOURSE_RETURN_IF_ERROR(s.store.addRequestEvent(e).status());
  return track(s, std::move(request).value(), nullptr);
}

core::StatusOr<TrackedRequest> editEvent(Services& s, const EventEdit& in) {
  auto found = s.store.requestEvent(in.event_id);
  if (!found.isOk()) {
    return notFoundAs(found.status(), "no recorded event with id " + in.event_id, "event_id");
  }
  core::RequestEvent e = std::move(found).value();
  const bool sent = e.type == core::RequestEventType::kSent;
  if (in.on) {
    if (s.clock.today() < *in.on) {
      return dayInFuture(*in.on, "on");
    }
    e.on = *in.on;
  }
  if (in.via) {
    if (sent && in.via->empty())
      return core::invalidArgument("is required").withField("via").withReason("required");
    e.via = *in.via;
  }
  if (in.details) e.details = *in.details;
  if (in.reply_within_days) {
    if (e.type != core::RequestEventType::kFollowUpSent) {
      return core::invalidArgument("is only recorded for a follow-up letter")
          .withField("reply_within_days");
    }
    if (*in.reply_within_days < 1 || *in.reply_within_days > 365) {
      return replyDaysOutOfRange();
    }
    e.reply_within_days = *in.reply_within_days;
  }
  RECOURSE_RETURN_IF_ERROR(core::validateRequestEvent(e));
  RECOURSE_ASSIGN_OR_RETURN(auto events, s.store.listRequestEvents(e.request_id));
  for (const auto& x : events) {
    if (x.id == e.id) continue;
    if (sent && x.type != core::RequestEventType::kSent && x.on < e.on) {
      return receivedAfter(e.on, x, "on");
    }
    if (!sent && x.type == core::RequestEventType::kSent && e.on < x.on) {
      return beforeReceived(e.on, x.on, "on");
    }
  }
  if (in.version > 0) e.version = in.version;
  RECOURSE_RETURN_IF_ERROR(s.store.updateRequestEvent(e).status());
  return showRequest(s, e.request_id);
}

core::StatusOr<core::RequestEvent> showEvent(Services& s, const std::string& event_id) {
  auto found = s.store.requestEvent(event_id);
  if (!found.isOk()) {
    return notFoundAs(found.status(), "no recorded event with id " + event_id, "event_id");
  }
  return found;
}

core::StatusOr<TrackedRequest> deleteEvent(Services& s, const std::string& event_id) {
  auto found = s.store.requestEvent(event_id);
  if (!found.isOk()) {
    return notFoundAs(found.status(), "no recorded event with id " + event_id, "event_id");
  }
  if (found->type == core::RequestEventType::kSent) {
    RECOURSE_ASSIGN_OR_RETURN(auto events, s.store.listRequestEvents(found->request_id));
    for (const auto& x : events) {
      if (x.type != core::RequestEventType::kSent && x.type != core::RequestEventType::kWithdrawn &&
          x.type != core::RequestEventType::kClosed) {
        return core::failedPrecondition(
                   "the " + std::string(core::requestEventName(x.type)) + " recorded on " +
                   x.on.toString() +
                   " counts from the day the request was received; remove that event first, "
                   "or correct the day instead")
            .withField("event_id")
            .withReason("received_has_later_events",
                        {{"event", std::string(core::requestEventName(x.type))},
                         {"event_on", x.on.toString()}});
      }
    }
  }
  RECOURSE_RETURN_IF_ERROR(s.store.deleteRequestEvent(event_id));
  return showRequest(s, found->request_id);
}

core::StatusOr<TrackedRequest> showRequest(Services& s, const std::string& request_id) {
  auto r = s.store.getRequest(request_id);
  if (!r.isOk()) {
    return notFoundAs(r.status(), "no records request with id " + request_id, "request_id");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto kase, s.store.getCase(r->case_id));
  RECOURSE_ASSIGN_OR_RETURN(auto client, s.store.getClient(kase.client_id));
  RECOURSE_ASSIGN_OR_RETURN(auto t, track(s, std::move(r).value(), &kase));
  t.client_id = client.id;
  t.client_name = client.name;
  t.case_label = caseLabel(kase);
  return t;
}

core::StatusOr<std::vector<TrackedRequest>> listRequests(Services& s, const std::string& case_id,
                                                         const std::string& client_id,
                                                         std::vector<std::string>* damaged) {
  std::unordered_map<std::string, std::string> client_names;
  if (!client_id.empty()) {
    auto client = s.store.getClient(client_id);
    if (!client.isOk()) {
      return notFoundAs(client.status(), "no client with id " + client_id, "client_id");
    }
    client_names.emplace(client->id, client->name);
  } else {
    RECOURSE_ASSIGN_OR_RETURN(
        auto clients, damaged != nullptr ? s.store.listClients(damaged) : s.store.listClients());
    for (auto& c : clients) client_names.emplace(c.id, std::move(c.name));
  }
  RECOURSE_ASSIGN_OR_RETURN(
      auto cases, damaged != nullptr ? s.store.listCases("", damaged) : s.store.listCases(""));
  std::unordered_map<std::string, const core::Case*> by_id;  // thousands of requests
  by_id.reserve(cases.size());
  for (const auto& c : cases) by_id.emplace(c.id, &c);
  if (!case_id.empty() && by_id.count(case_id) == 0) {
    return core::notFound("no case with id " + case_id).withField("case_id");
  }
  RECOURSE_ASSIGN_OR_RETURN(auto requests, damaged != nullptr
                                               ? s.store.listRequests(case_id, damaged)
                                               : s.store.listRequests(case_id));
  std::vector<TrackedRequest> out;
  out.reserve(requests.size());
  for (auto& r : requests) {
    auto found = by_id.find(r.case_id);
    const core::Case* kase = found == by_id.end() ? nullptr : found->second;
    if (kase == nullptr && damaged != nullptr) {
      damaged->push_back("request " + r.id + " (its case " + r.case_id + " cannot be read)");
      continue;
    }
    if (kase == nullptr) {
      return core::corruption("records request " + r.id + " names case " + r.case_id +
                              ", which cannot be read");
    }
    if (!client_id.empty() && kase->client_id != client_id) continue;
    RECOURSE_ASSIGN_OR_RETURN(auto t, track(s, std::move(r), kase));
    t.client_id = kase->client_id;
    auto name = client_names.find(kase->client_id);
    if (name != client_names.end()) t.client_name = name->second;
    t.case_label = caseLabel(*kase);
    out.push_back(std::move(t));
  }
  return out;
}

core::StatusOr<TrackedRequest> editRequest(Services& s, const RequestEdit& in) {
  auto found = s.store.getRequest(in.request_id);
  if (!found.isOk()) {
    return notFoundAs(found.status(), "no records request with id " + in.request_id, "request_id");
  }
  core::RecordsRequest r = std::move(found).value();
  if (in.custodian_name) {
    if (in.custodian_name->empty()) {
      return core::invalidArgument("cannot be cleared: a request needs someone to send it to")
          .withField("custodian_name")
          .withReason("required");
    }
    r.custodian_name = *in.custodian_name;
  }
  if (in.custodian_address) r.custodian_address = *in.custodian_address;
  if (in.custodian_email) r.custodian_email = *in.custodian_email;
  if (in.reference) r.reference = *in.reference;
  if (in.jurisdiction) {
    if (!in.jurisdiction->empty() && s.catalog.law().find(*in.jurisdiction) == nullptr) {
      return core::invalidArgument("\"" + in.jurisdiction->substr(0, 20) +
                                   "\" is not a jurisdiction Recourse knows (see: recourse "
                                   "jurisdictions list)")
          .withField("jurisdiction");
    }
    r.jurisdiction = *in.jurisdiction;
  }
  RECOURSE_RETURN_IF_ERROR(core::validateRecordsRequest(r));
  if (in.version > 0) r.version = in.version;
  std::vector<core::RequestEvent> events;
  if (in.sent_on) {
    if (s.clock.today() < *in.sent_on) {
      return dayInFuture(*in.sent_on, "sent_on");
    }
    RECOURSE_ASSIGN_OR_RETURN(events, s.store.listRequestEvents(r.id));
    bool sent = std::any_of(events.begin(), events.end(), [](const core::RequestEvent& x) {
      return x.type == core::RequestEventType::kSent;
    });
    if (!sent) {
      return core::invalidArgument("the request has not been recorded as sent yet (request send)")
          .withField("sent_on");
    }
    for (const auto& x : events) {
      if (x.type != core::RequestEventType::kSent && x.on < *in.sent_on) {
        return receivedAfter(*in.sent_on, x, "sent_on");
      }
    }
  }
  core::Status st = s.store.inOneTransaction([&]() -> core::Status {
    RECOURSE_RETURN_IF_ERROR(s.store.updateRequest(r).status());
    if (!in.sent_on) return core::Status::ok();
    core::RequestEvent e;
    e.type = core::RequestEventType::kSent;
    e.on = *in.sent_on;
    return correctSent(s, r, events, e).status();
  });
  RECOURSE_RETURN_IF_ERROR(st);
  return showRequest(s, r.id);
}

core::Status deleteRequest(Services& s, const std::string& request_id) {
  auto removed = s.store.deleteRequest(request_id);
  if (!removed.isOk()) {
    return notFoundAs(removed.status(), "no records request with id " + request_id, "request_id");
  }
  return core::Status::ok();
}

}  // namespace recourse::service
