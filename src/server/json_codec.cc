#include "server/json_codec.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <initializer_list>
#include <optional>
#include <sstream>
#include <utility>

#include "jurisdiction/deadline.h"
#include "jurisdiction/json_reader.h"
#include "service/letter.h"

namespace recourse::server {

using core::Status;
using core::StatusOr;
using Poco::JSON::Object;

namespace {

void setOpt(Object::Ptr o, const std::string& key, const std::string& v) {
  if (v.empty()) {
    o->set(key, Poco::Dynamic::Var());
  } else {
    o->set(key, v);
  }
}

void setDate(Object::Ptr o, const std::string& key, const std::optional<core::Date>& d) {
  if (d) {
    o->set(key, d->toString());
  } else {
    o->set(key, Poco::Dynamic::Var());
  }
}

}  // namespace

Status readDate(const Object::Ptr& obj, const std::string& key, std::optional<core::Date>* out) {
  std::string text;
  RECOURSE_RETURN_IF_ERROR(readString(obj, key, "", &text));
  if (text.empty()) return Status::ok();
  auto d = core::Date::parse(text, key);
  if (!d.isOk()) {
    // The message without the field's name: the front ends add it in their own words.
    std::string m = d.status().message();
    if (m.rfind(key + ": ", 0) == 0) m = m.substr(key.size() + 2);
    return core::invalidArgument(m).withField(key).withReason("not_a_date");
  }
  *out = *d;
  return Status::ok();
}

std::string toJsonText(const Object::Ptr& obj) {
  std::ostringstream os;
  obj->stringify(os);
  return os.str();
}

Object::Ptr clientToJson(const core::Client& c) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", c.id);
  o->set("name", c.name);
  setOpt(o, "email", c.email);
  setOpt(o, "phone", c.phone);
  setOpt(o, "address", c.address);
  setOpt(o, "date_of_birth", c.date_of_birth);
  setOpt(o, "notes", c.notes);
  o->set("created_at", core::formatTimestamp(c.created_at));
  o->set("updated_at", core::formatTimestamp(c.updated_at));
  o->set("version", static_cast<Poco::Int64>(c.version));
  return o;
}

Object::Ptr providerToJson(const core::Provider& p) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", p.id);
  o->set("name", p.name);
  setOpt(o, "credentials", p.credentials);
  setOpt(o, "license_type", p.license_type);
  setOpt(o, "license_number", p.license_number);
  setOpt(o, "jurisdiction", p.jurisdiction);
  setOpt(o, "practice", p.practice);
  setOpt(o, "address", p.address);
  setOpt(o, "email", p.email);
  setOpt(o, "phone", p.phone);
  return o;
}

Object::Ptr caseToJson(const core::Case& c) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", c.id);
  o->set("client_id", c.client_id);
  setOpt(o, "title", c.title);
  o->set("provider", providerToJson(c.provider));
  setDate(o, "treatment_start", c.treatment_start);
  setDate(o, "treatment_end", c.treatment_end);
  setOpt(o, "notes", c.notes);
  o->set("created_at", core::formatTimestamp(c.created_at));
  o->set("updated_at", core::formatTimestamp(c.updated_at));
  o->set("version", static_cast<Poco::Int64>(c.version));
  return o;
}

Object::Ptr incidentToJson(const core::Incident& i) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", i.id);
  o->set("case_id", i.case_id);
  o->set("summary", i.summary);
  o->set("date_precision", std::string(core::datePrecisionName(i.date_precision)));
  setDate(o, "date", i.date_start);
  setDate(o, "date_end", i.date_end);
  setOpt(o, "date_text", i.date_text);
  setOpt(o, "channel", i.channel);
  setOpt(o, "narrative", i.narrative);
  setOpt(o, "impact", i.impact);
  Poco::JSON::Array::Ptr kinds = new Poco::JSON::Array;
  for (const auto& k : i.harm_kinds) kinds->add(k);
  o->set("harm_kinds", kinds);
  setOpt(o, "witnesses", i.witnesses);
  o->set("created_at", core::formatTimestamp(i.created_at));
  o->set("version", static_cast<Poco::Int64>(i.version));
  return o;
}

Object::Ptr evidenceToJson(const core::EvidenceItem& e) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", e.id);
  o->set("case_id", e.case_id);
  o->set("original_name", e.original_name);
  o->set("description", e.description);
  o->set("date", e.date ? Poco::Dynamic::Var(e.date->toString()) : Poco::Dynamic::Var());
  o->set("incident_id", e.incident_id);
  o->set("media_type", e.media_type);
  o->set("size_bytes", static_cast<Poco::Int64>(e.size_bytes));
  o->set("sha256", e.sha256_hex);
  o->set("intake_at", core::formatTimestamp(e.intake_at));
  o->set("version", static_cast<Poco::Int64>(e.version));
  return o;
}

Object::Ptr noticeToJson(const core::Notice& n) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("key", n.key);
  Object::Ptr args = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, value] : n.args) args->set(name, value);
  o->set("args", args);
  o->set("text", n.text);
  return o;
}

Poco::JSON::Array::Ptr noticesToJson(const std::vector<core::Notice>& notices) {
  Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
  for (const auto& n : notices) arr->add(noticeToJson(n));
  return arr;
}

namespace {

Object::Ptr deadlineToJson(const jurisdiction::Deadline& d) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("jurisdiction", d.jurisdiction_name);
  o->set("law", d.law_name);
  o->set("label", d.label);
  o->set("count", d.count);
  o->set("day_type", std::string(jurisdiction::dayTypeName(d.type)));
  o->set("starts_on", d.starts_on);
  if (!d.applies_to.empty()) o->set("applies_to", d.applies_to);
  // A time limit that turns on a condition: shown, never the due date.
  o->set("informative", d.informative);
  o->set("start", d.start.toString());
  o->set("due", d.due.toString());
  if (d.due_before_extension) o->set("due_before_extension", d.due_before_extension->toString());
  if (d.meta != nullptr) {
    o->set("citation", d.meta->source.citation);
    if (!d.meta->source.url.empty()) o->set("url", d.meta->source.url);
    // The date's own confirmation: an unconfirmed extension leaves it unconfirmed too.
    o->set("verified", d.dueVerified());
    if (!d.dueVerified()) o->set("caution", d.dueCaution());
    if (d.meta->last_verified) o->set("last_verified", d.meta->last_verified->toString());
  }
  // The explanation as the command line prints it; the page builds its own from the facts.
  Poco::JSON::Array::Ptr lines = new Poco::JSON::Array;
  for (const auto& l : jurisdiction::explain(d)) lines->add(l);
  o->set("explanation", lines);
  o->set("days_counted", static_cast<Poco::UInt64>(d.counted.size()));
  if (!d.counted.empty()) {
    o->set("counted_from", d.counted.front().toString());
    o->set("counted_to", d.counted.back().toString());
  }
  Poco::JSON::Array::Ptr skipped = new Poco::JSON::Array;
  for (const auto& k : d.skipped) {
    Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("date", k.date.toString());
    j->set("kind", std::string(jurisdiction::skippedKindName(k.kind)));
    if (!k.name.empty()) j->set("name", k.name);
    if (k.moves_due) j->set("moves_due", true);
    j->set("reason", k.reason);
    skipped->add(j);
  }
  o->set("skipped", skipped);
  if (d.extension_requested) o->set("extension", noticeToJson(d.extension_note));
  return o;
}

}  // namespace

Object::Ptr trackedRequestToJson(const service::TrackedRequest& t, bool with_commands) {
  const core::RecordsRequest& r = t.request;
  const jurisdiction::RequestState& s = t.state;
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", r.id);
  o->set("case_id", r.case_id);
  o->set("custodian", r.custodian_name);
  o->set("custodian_address", r.custodian_address);
  o->set("custodian_email", r.custodian_email);
  o->set("kind", std::string(core::requestKindName(r.kind)));
  o->set("reference", r.reference);
  o->set("version", static_cast<Poco::Int64>(r.version));
  o->set("status", std::string(core::requestStatusName(s.status)));
  o->set("sent_on", s.sent_on ? Poco::Dynamic::Var(s.sent_on->toString()) : Poco::Dynamic::Var());
  o->set("due", s.due ? Poco::Dynamic::Var(s.due->toString()) : Poco::Dynamic::Var());
  if (s.due) o->set("days_left", static_cast<Poco::Int64>(s.days_left));
  if (!s.no_due.text.empty()) o->set("no_due", noticeToJson(s.no_due));
  if (s.clock_stopped) {
    o->set("clock_stopped_on", s.stopped_on->toString());
    o->set("days_left", static_cast<Poco::Int64>(s.days_left));
  }
  if (s.followup_sent_on) {
    o->set("followup_sent_on", s.followup_sent_on->toString());
    o->set("followup_reply_by", s.followup_reply_by->toString());
  }
  if (s.deadline && !s.deadline->deadlines.empty()) {
    Object::Ptr d = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    d->set("governing", deadlineToJson(s.deadline->deadlines[s.deadline->governing]));
    Poco::JSON::Array::Ptr others = new Poco::JSON::Array;
    for (size_t i = 0; i < s.deadline->deadlines.size(); ++i) {
      if (i != s.deadline->governing) others->add(deadlineToJson(s.deadline->deadlines[i]));
    }
    d->set("others", others);
    o->set("deadline", d);
  }
  Poco::JSON::Array::Ptr next = new Poco::JSON::Array;
  for (const auto& n : s.next) {
    Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("form", n.form);
    j->set("key", n.key);
    Object::Ptr args = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [name, value] : n.args) args->set(name, value);
    j->set("args", args);
    j->set("label", n.label);
    if (with_commands) j->set("command", service::suggestedLetterCommand(r.id, n.form));
    if (n.by) j->set("by", n.by->toString());
    if (!n.note.empty()) j->set("note", n.note);
    j->set("verified", n.verified);
    next->add(j);
  }
  o->set("next", next);
  Poco::JSON::Array::Ptr ev = new Poco::JSON::Array;
  for (const auto& e : t.events) {
    Object::Ptr j = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("id", e.id);
    j->set("version", static_cast<Poco::Int64>(e.version));
    j->set("type", std::string(core::requestEventName(e.type)));
    j->set("on", e.on.toString());
    if (!e.via.empty()) j->set("via", e.via);
    if (!e.details.empty()) j->set("details", e.details);
    if (e.reply_within_days > 0) j->set("reply_within_days", e.reply_within_days);
    ev->add(j);
  }
  o->set("events", ev);
  o->set("client_id", t.client_id);
  o->set("client_name", t.client_name);
  o->set("case", t.case_label);
  return o;
}

StatusOr<Object::Ptr> parseObject(const std::string& text) {
  try {
    std::string duplicate;
    Poco::Dynamic::Var v = jurisdiction::parseJsonNoting(text, &duplicate);
    if (!duplicate.empty()) {
      // Which of two values was meant cannot be known: neither is taken.
      return core::invalidArgument("is given twice; give it once")
          .withField(duplicate.substr(2));  // "$.answers.scope" -> "answers.scope"
    }
    if (v.type() != typeid(Object::Ptr)) {
      return core::invalidArgument("body: must be a JSON object");
    }
    return v.extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return core::invalidArgument("body: malformed JSON (" + e.message() + ")");
  } catch (const std::exception& e) {
    return core::invalidArgument(std::string("body: malformed JSON (") + e.what() + ")");
  }
}

Status readString(const Object::Ptr& obj, const std::string& key, const std::string& prefix,
                  std::string* out) {
  if (!obj->has(key)) return Status::ok();
  Poco::Dynamic::Var v = obj->get(key);
  if (v.isEmpty()) return Status::ok();  // null: absent
  if (!v.isString()) return core::invalidArgument("must be a string").withField(prefix + key);
  *out = v.extract<std::string>();
  return Status::ok();
}

Status readCorrection(const Object::Ptr& obj, const std::string& key, const std::string& prefix,
                      std::optional<std::string>* out) {
  if (!obj->has(key)) return Status::ok();
  std::string value;  // null reads as "": cleared
  RECOURSE_RETURN_IF_ERROR(readString(obj, key, prefix, &value));
  *out = std::move(value);
  return Status::ok();
}

Status readBool(const Object::Ptr& obj, const std::string& key, bool* out) {
  if (!obj->has(key) || obj->get(key).isEmpty()) return Status::ok();
  const Poco::Dynamic::Var v = obj->get(key);
  if (v.type() != typeid(bool))
    return core::invalidArgument("must be true or false").withField(key);
  *out = v.extract<bool>();
  return Status::ok();
}

Status readVersion(const Object::Ptr& obj, long long* out) {
  if (!obj->has("version") || obj->get("version").isEmpty()) return Status::ok();
  const Poco::Dynamic::Var v = obj->get("version");
  if (!v.isInteger() || v.convert<Poco::Int64>() < 1) {
    return core::invalidArgument("must be the record's version, a whole number from 1")
        .withField("version");
  }
  *out = v.convert<Poco::Int64>();
  return Status::ok();
}

Status readStrings(const Object::Ptr& obj, const std::string& key, std::vector<std::string>* out) {
  if (!obj->has(key) || obj->get(key).isEmpty()) return Status::ok();
  if (obj->get(key).type() != typeid(Poco::JSON::Array::Ptr)) {
    return core::invalidArgument("must be a list of strings").withField(key);
  }
  auto arr = obj->getArray(key);
  out->clear();
  for (size_t i = 0; i < arr->size(); ++i) {
    const Poco::Dynamic::Var v = arr->get(static_cast<unsigned>(i));
    if (!v.isString()) return core::invalidArgument("must be a list of strings").withField(key);
    out->push_back(v.extract<std::string>());
  }
  return Status::ok();
}

namespace {

const std::set<std::string>& incidentMembers() {
  static const std::set<std::string> kMembers = {
      "summary", "date",      "date_end", "date_text", "approximate", "recurring",
      "channel", "narrative", "impact",   "witnesses", "harm_kinds"};
  return kMembers;
}

}  // namespace

StatusOr<service::NewIncident> newIncidentFromJson(const Object::Ptr& obj,
                                                   const std::string& case_id) {
  RECOURSE_RETURN_IF_ERROR(checkKnownFields(obj, incidentMembers(), ""));
  service::NewIncident in;
  in.case_id = case_id;
  for (const auto& [key, field] :
       std::initializer_list<std::pair<const char*, std::string*>>{{"summary", &in.summary},
                                                                   {"date", &in.date},
                                                                   {"date_end", &in.date_end},
                                                                   {"date_text", &in.date_text},
                                                                   {"channel", &in.channel},
                                                                   {"narrative", &in.narrative},
                                                                   {"impact", &in.impact},
                                                                   {"witnesses", &in.witnesses}}) {
    RECOURSE_RETURN_IF_ERROR(readString(obj, key, "", field));
  }
  RECOURSE_RETURN_IF_ERROR(readBool(obj, "approximate", &in.approximate));
  RECOURSE_RETURN_IF_ERROR(readBool(obj, "recurring", &in.recurring));
  RECOURSE_RETURN_IF_ERROR(readStrings(obj, "harm_kinds", &in.harm_kinds));
  return in;
}

StatusOr<service::IncidentEdit> incidentEditFromJson(const Object::Ptr& obj,
                                                     const std::string& incident_id) {
  std::set<std::string> allowed = incidentMembers();
  allowed.insert("precision");
  allowed.insert("clear");
  allowed.insert("version");
  RECOURSE_RETURN_IF_ERROR(checkKnownFields(obj, allowed, ""));
  service::IncidentEdit edit;
  edit.incident_id = incident_id;
  for (const auto& [key, field] :
       std::initializer_list<std::pair<const char*, std::optional<std::string>*>>{
           {"summary", &edit.summary},
           {"date", &edit.date},
           {"date_end", &edit.date_end},
           {"date_text", &edit.date_text},
           {"channel", &edit.channel},
           {"narrative", &edit.narrative},
           {"impact", &edit.impact},
           {"witnesses", &edit.witnesses},
           {"precision", &edit.precision}}) {
    RECOURSE_RETURN_IF_ERROR(readCorrection(obj, key, "", field));
  }
  RECOURSE_RETURN_IF_ERROR(readBool(obj, "approximate", &edit.approximate));
  RECOURSE_RETURN_IF_ERROR(readBool(obj, "recurring", &edit.recurring));
  if (obj->has("harm_kinds")) {
    std::vector<std::string> kinds;
    RECOURSE_RETURN_IF_ERROR(readStrings(obj, "harm_kinds", &kinds));
    edit.harm_kinds = std::move(kinds);
  }
  RECOURSE_RETURN_IF_ERROR(readStrings(obj, "clear", &edit.clear));
  RECOURSE_RETURN_IF_ERROR(readVersion(obj, &edit.version));
  return edit;
}

Status checkKnownFields(const Object::Ptr& obj, const std::set<std::string>& allowed,
                        const std::string& prefix) {
  for (const auto& name : obj->getNames()) {
    if (!allowed.count(name)) {
      std::string list;
      for (const auto& a : allowed) list.append(list.empty() ? "" : ", ").append(a);
      return core::invalidArgument("is not a known field (known: " + list + ")")
          .withField(prefix + name.substr(0, 60));
    }
  }
  return Status::ok();
}

StatusOr<core::Client> clientFromJson(const Object::Ptr& obj) {
  RECOURSE_RETURN_IF_ERROR(
      checkKnownFields(obj, {"name", "email", "phone", "address", "date_of_birth", "notes"}, ""));
  core::Client c;
  RECOURSE_RETURN_IF_ERROR(readString(obj, "name", "", &c.name));
  RECOURSE_RETURN_IF_ERROR(readString(obj, "email", "", &c.email));
  RECOURSE_RETURN_IF_ERROR(readString(obj, "phone", "", &c.phone));
  RECOURSE_RETURN_IF_ERROR(readString(obj, "address", "", &c.address));
  RECOURSE_RETURN_IF_ERROR(readString(obj, "date_of_birth", "", &c.date_of_birth));
  RECOURSE_RETURN_IF_ERROR(readString(obj, "notes", "", &c.notes));
  return c;
}

StatusOr<core::Case> caseFromJson(const Object::Ptr& obj) {
  RECOURSE_RETURN_IF_ERROR(
      checkKnownFields(obj,
                       {"client_id", "title", "treatment_start", "treatment_end", "notes",
                        "provider", "keep_unknown_jurisdiction"},
                       ""));
  core::Case c;
  RECOURSE_RETURN_IF_ERROR(readString(obj, "client_id", "", &c.client_id));
  if (c.client_id.empty()) return core::invalidArgument("client_id: must name the client");
  RECOURSE_RETURN_IF_ERROR(readString(obj, "title", "", &c.title));
  RECOURSE_RETURN_IF_ERROR(readString(obj, "notes", "", &c.notes));
  RECOURSE_RETURN_IF_ERROR(readDate(obj, "treatment_start", &c.treatment_start));
  RECOURSE_RETURN_IF_ERROR(readDate(obj, "treatment_end", &c.treatment_end));
  if (!obj->has("provider") || obj->get("provider").type() != typeid(Object::Ptr)) {
    return core::invalidArgument("provider: must be an object with at least a name");
  }
  Object::Ptr p = obj->getObject("provider");
  RECOURSE_RETURN_IF_ERROR(
      checkKnownFields(p,
                       {"name", "credentials", "license_type", "license_number", "jurisdiction",
                        "practice", "address", "email", "phone"},
                       "provider."));
  core::Provider& pv = c.provider;
  RECOURSE_RETURN_IF_ERROR(readString(p, "name", "provider.", &pv.name));
  RECOURSE_RETURN_IF_ERROR(readString(p, "credentials", "provider.", &pv.credentials));
  RECOURSE_RETURN_IF_ERROR(readString(p, "license_type", "provider.", &pv.license_type));
  RECOURSE_RETURN_IF_ERROR(readString(p, "license_number", "provider.", &pv.license_number));
  RECOURSE_RETURN_IF_ERROR(readString(p, "jurisdiction", "provider.", &pv.jurisdiction));
  RECOURSE_RETURN_IF_ERROR(readString(p, "practice", "provider.", &pv.practice));
  RECOURSE_RETURN_IF_ERROR(readString(p, "address", "provider.", &pv.address));
  RECOURSE_RETURN_IF_ERROR(readString(p, "email", "provider.", &pv.email));
  RECOURSE_RETURN_IF_ERROR(readString(p, "phone", "provider.", &pv.phone));
  return c;
}

Object::Ptr accountToJson(const service::Account& a) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", a.id);
  o->set("name", a.name);
  o->set("role", a.role);
  o->set("client_id", a.client_id);
  o->set("fingerprint", a.fingerprint);
  o->set("created_at", a.created_at);
  o->set("created_by", a.created_by);
  o->set("me", a.me);
  return o;
}

Object::Ptr caseloadClientToJson(const service::CaseloadClient& c) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", c.client.id);
  o->set("name", c.client.name);
  o->set("open_cases", c.open_cases);
  o->set("due_this_week", c.due_this_week);
  o->set("overdue", c.overdue);
  o->set("complaints_waiting", c.complaints_waiting);
  o->set("next_due", c.next_due ? c.next_due->toString() : std::string());
  return o;
}

Object::Ptr waitingComplaintToJson(const service::WaitingComplaint& w) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("client_id", w.client_id);
  o->set("client_name", w.client_name);
  o->set("case_id", w.case_id);
  o->set("case_label", w.case_label);
  o->set("board", w.board);
  o->set("filed_on", w.filed_on.toString());
  o->set("days_waiting", static_cast<Poco::Int64>(w.days_waiting));
  return o;
}

Poco::JSON::Object::Ptr otherRoutesToJson(const service::OtherRoutes& r) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("case_id", r.case_id);
  o->set("provider_name", r.provider_name);
  o->set("practice", r.practice);
  Poco::JSON::Array::Ptr routes = new Poco::JSON::Array;
  for (const auto& x : r.routes) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("id", x.id);
    j->set("kind", x.kind);
    j->set("name", x.name);
    j->set("summary", x.summary);
    j->set("how", x.how);
    j->set("url", x.url);
    j->set("time_limit", x.time_limit);
    j->set("jurisdiction", x.jurisdiction);
    j->set("citation", x.citation);
    j->set("verified", x.verified);
    j->set("caution", x.caution);
    Poco::JSON::Array::Ptr because = new Poco::JSON::Array;
    for (const auto& b : x.because_of) because->add(b);
    j->set("because_of", because);
    routes->add(j);
  }
  o->set("routes", routes);
  o->set("held_back", r.held_back);
  Poco::JSON::Array::Ptr ending = new Poco::JSON::Array;
  for (const auto& e : r.ending) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("code", e.code);
    j->set("section", e.section);
    j->set("title", e.title);
    j->set("plain", e.plain);
    j->set("verified", e.verified);
    j->set("own", e.own);
    j->set("citable", e.citable);
    ending->add(j);
  }
  o->set("ending", ending);
  o->set("ending_citable", r.ending_citable);
  return o;
}

}  // namespace recourse::server
