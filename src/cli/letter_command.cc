// `recourse letter`: a document from a form definition, the case's facts and the law.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/command.h"
#include "forms/interview.h"
#include "forms/loader.h"
#include "jurisdiction/deadline.h"
#include "jurisdiction/registry.h"
#include "jurisdiction/request_tracking.h"
#include "pdf/document.h"

namespace recourse::cli {
namespace {

using Poco::JSON::Object;

std::string jsonString(const Object::Ptr& o, const std::string& k) {
  if (!o->has(k) || !o->get(k).isString()) return {};
  return o->get(k).extract<std::string>();
}

// Prefills answers a form asks for that the case already knows. Answers given by the
// person (file or --set) win.
void prefill(const forms::Form& form, const core::Client& client, const core::Case& kase,
             Object::Ptr answers) {
  const core::Provider& p = kase.provider;
  auto put = [&](const std::string& id, const std::string& value) {
    if (!value.empty() && form.findField(id) != nullptr && !answers->has(id)) {
      answers->set(id, value);
    }
  };
  put("requester_name", client.name);
  put("complainant_name", client.name);
  put("requester_email", client.email);
  put("complainant_email", client.email);
  put("complainant_phone", client.phone);
  put("custodian_name", p.practice.empty() ? p.name : p.practice);
  put("therapist_name", p.name);
  put("license_number", p.license_number);
  put("practice", p.practice);
  if (form.findField("custodian_address") != nullptr && !answers->has("custodian_address") &&
      !p.address.empty()) {
    Object::Ptr a = new Object;
    a->set("line1", p.address);
    answers->set("custodian_address", a);
  }
  for (const char* id : {"requester_address", "complainant_address"}) {
    if (form.findField(id) != nullptr && !answers->has(id) && !client.address.empty()) {
      Object::Ptr a = new Object;
      a->set("line1", client.address);
      answers->set(id, a);
    }
  }
  if (form.findField("treatment_dates") != nullptr && !answers->has("treatment_dates") &&
      (kase.treatment_start || kase.treatment_end)) {
    Object::Ptr r = new Object;
    if (kase.treatment_start) r->set("start", kase.treatment_start->toString());
    if (kase.treatment_end) r->set("end", kase.treatment_end->toString());
    answers->set("treatment_dates", r);
  }
}

std::vector<std::string> addressLines(const Object::Ptr& answers, const std::string& id) {
  std::vector<std::string> lines;
  if (!answers->has(id) || answers->get(id).type() != typeid(Object::Ptr)) return lines;
  auto a = answers->getObject(id);
  for (const char* k : {"line1", "line2"}) {
    if (!jsonString(a, k).empty()) lines.push_back(jsonString(a, k));
  }
  std::string city = jsonString(a, "city");
  std::string region = jsonString(a, "region");
  std::string postal = jsonString(a, "postal_code");
  std::string last = city;
  if (!region.empty()) last += (last.empty() ? "" : ", ") + region;
  if (!postal.empty()) last += (last.empty() ? "" : " ") + postal;
  if (!last.empty()) lines.push_back(last);
  if (!jsonString(a, "country").empty()) lines.push_back(jsonString(a, "country"));
  return lines;
}

std::string ruleSentence(const jurisdiction::Deadline& d) {
  std::string unit = d.type == jurisdiction::DayType::kCalendarMonth
                         ? (d.count == 1 ? "calendar month" : "calendar months")
                     : d.type == jurisdiction::DayType::kBusiness ? "business days"
                                                                  : "calendar days";
  return "Under " + d.meta->source.citation + ", the records must be provided within " +
         std::to_string(d.count) + " " + unit + " after " + d.starts_on + ".";
}

class LetterCommand final : public Command {
 public:
  std::string name() const override { return "letter"; }
  std::string summary() const override {
    return "make a letter or complaint (PDF) from a form, the case and the law";
  }
  std::string usage() const override {
    return "letter --form ID --case ID --out FILE.pdf [--set FIELD=VALUE ...] [--answers FILE]";
  }
  std::vector<OptionSpec> options() const override {
    return {{"form", "ID", "which document (see: recourse forms list)"},
            {"case", "ID", "the case it is about"},
            {"out", "FILE", "where to write the PDF (must not exist)"},
            {"answers", "FILE", "answers as a JSON object (- for stdin)"},
            {"set", "FIELD=VALUE",
             "one answer, e.g. --set scope=all or --set date_range.start=2023-01-01 "
             "(true/false for yes/no, commas between choices)",
             true},
            {"sent-on", "YYYY-MM-DD", "the day the letter will be received (default: today)"},
            {"request", "ID",
             "a tracked records request: its case, custodian, answers, dates and the letter its "
             "state calls for (follow-up when overdue, review when refused)"}};
  }

  core::Status run(Context& ctx) override {
    const auto& a = ctx.args();
    const bool from_request = a.has("request");
    for (const char* req : {"form", "case", "out"}) {
      if (!a.has(req) && !(from_request && std::string(req) != "out")) {
        return core::invalidArgument(std::string("--") + req + ": is required");
      }
    }
    const std::string out = a.get("out");
    if (std::filesystem::exists(out)) {
      return core::invalidArgument("--out: " + out + " already exists; choose a new file name");
    }
    // A tracked request supplies the case, the custodian, its answers and its dates.
    std::unique_ptr<store::Store> store;
    std::optional<core::RecordsRequest> request;
    std::optional<jurisdiction::RequestState> state;
    std::vector<core::RequestEvent> events;
    std::string case_id = a.get("case");
    std::string form_id = a.get("form");
    const jurisdiction::Registry reg =
        jurisdiction::Registry::loadDirectory(ctx.jurisdictionsDir());
    if (from_request) {
      auto opened = ctx.openUnlocked();
      if (!opened.isOk()) return opened.status();
      store = std::move(opened).value();
      auto r = store->getRequest(a.get("request"));
      if (!r.isOk())
        return core::notFound("--request: no records request with id " + a.get("request"));
      request = *r;
      auto ev = store->listRequestEvents(request->id);
      if (!ev.isOk()) return ev.status();
      events = *ev;
      case_id = request->case_id;
      auto kase = store->getCase(case_id);
      if (!kase.isOk()) return kase.status();
      std::string jid =
          request->jurisdiction.empty() ? kase->provider.jurisdiction : request->jurisdiction;
      state = jurisdiction::deriveRequestState(jid, events, reg, ctx.env().clock.today());
      if (form_id.empty()) {
        form_id = state->status == core::RequestStatus::kDenied ? "denial-review"
                  : state->status == core::RequestStatus::kOverdue ||
                          state->status == core::RequestStatus::kPartiallyFulfilled
                      ? "records-followup"
                      : "records-request";
      }
    }
    forms::FormSet set = forms::loadFormDirectory(ctx.formsDir());
    const forms::Form* form = set.find(form_id);
    if (form == nullptr) {
      return core::notFound("--form: no form \"" + form_id.substr(0, 40) +
                            "\" (see: recourse forms list)");
    }
    Object::Ptr answers = new Object;
    if (request && !request->answers_json.empty()) {
      std::vector<forms::Problem> problems;
      auto stored = jurisdiction::parseJsonObject(request->answers_json, "request", &problems);
      if (stored) {
        // Keep only what this form asks.
        for (const auto& name : stored->getNames()) {
          if (form->findField(name) != nullptr) answers->set(name, stored->get(name));
        }
      }
    }
    if (request) {
      if (form->findField("custodian_name") != nullptr) {
        answers->set("custodian_name", request->custodian_name);
      }
      if (form->findField("custodian_email") != nullptr && !request->custodian_email.empty()) {
        answers->set("custodian_email", request->custodian_email);
      }
      if (form->findField("custodian_address") != nullptr && !request->custodian_address.empty()) {
        Object::Ptr addr = new Object;
        addr->set("line1", request->custodian_address);
        answers->set("custodian_address", addr);
      }
    }
    if (a.has("answers")) {
      auto read = ctx.readJsonOption("answers");
      if (!read.isOk()) return read.status();
      answers = *read;
    }
    for (const auto& s : a.all("set")) {
      size_t eq = s.find('=');
      if (eq == std::string::npos || eq == 0) {
        return core::invalidArgument("--set: expected FIELD=VALUE, got \"" + s.substr(0, 40) +
                                     "\"");
      }
      std::string key = s.substr(0, eq);
      std::string value = s.substr(eq + 1);
      // FIELD.PART=VALUE sets one part of a person, address or date-range answer.
      size_t dot = key.find('.');
      std::string part = dot == std::string::npos ? "" : key.substr(dot + 1);
      key = key.substr(0, dot);
      const forms::Field* f = form->findField(key);
      if (f == nullptr) {
        return core::invalidArgument("--set: " + key + " is not a field of " + form->id);
      }
      if (!part.empty()) {
        const auto& parts = forms::fieldParts(f->type);
        if (std::find(parts.begin(), parts.end(), part) == parts.end()) {
          return core::invalidArgument("--set: " + key + " has no part \"" + part + "\"");
        }
        Object::Ptr obj = answers->has(key) && answers->get(key).type() == typeid(Object::Ptr)
                              ? answers->getObject(key)
                              : Object::Ptr(new Object);
        obj->set(part, value);
        answers->set(key, obj);
        continue;
      }
      if (f->type == forms::FieldType::kYesNo) {
        if (value != "true" && value != "false") {
          return core::invalidArgument("--set: " + key + " takes true or false");
        }
        answers->set(key, value == "true");
      } else if (f->type == forms::FieldType::kMultiChoice) {
        Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
        size_t start = 0;
        while (start <= value.size()) {
          size_t comma = value.find(',', start);
          arr->add(
              value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
        answers->set(key, arr);
      } else {
        answers->set(key, value);
      }
    }
    core::Date sent_on = ctx.env().clock.today();
    if (state && state->sent_on) sent_on = *state->sent_on;
    if (a.has("sent-on")) {
      auto d = core::Date::parse(a.get("sent-on"), "--sent-on");
      if (!d.isOk()) return d.status();
      sent_on = *d;
    }

    if (!store) {
      auto opened = ctx.openUnlocked();
      if (!opened.isOk()) return opened.status();
      store = std::move(opened).value();
    }
    auto kase = store->getCase(case_id);
    if (!kase.isOk()) {
      if (kase.status().code() == core::StatusCode::kNotFound) {
        return core::notFound("--case: no case with id " + case_id);
      }
      return kase.status();
    }
    auto client = store->getClient(kase->client_id);
    if (!client.isOk()) return client.status();
    auto incidents = store->listIncidents(kase->id);
    if (!incidents.isOk()) return incidents.status();

    prefill(*form, *client, *kase, answers);
    auto problems = forms::checkAnswers(*form, answers);
    if (!problems.empty()) {
      std::string msg = "the document needs a few more answers (give them with --set FIELD=VALUE):";
      for (const auto& p : problems) {
        const forms::Field* f = form->findField(p.field.substr(0, p.field.find('.')));
        msg += "\n  " + p.field + ": " + p.message;
        if (f != nullptr && !f->options.empty()) {
          msg += " (";
          for (size_t i = 0; i < f->options.size(); ++i) {
            msg += (i ? ", " : "") + f->options[i].value;
          }
          msg += ")";
        }
      }
      return core::invalidArgument(msg);
    }

    pdf::DocumentContext dc;
    std::vector<std::string> warnings;
    buildContext(ctx, set, reg, *form, *client, *kase, *incidents, sent_on, answers, &dc,
                 &warnings);
    if (request && state) {
      // The tracked request's own dates, not ones assumed from --sent-on.
      bool us = dc.values["jurisdiction.id"].rfind("us", 0) == 0;
      if (state->due) {
        dc.values["request.due_date"] = pdf::longDate(*state->due, us);
        dc.values["due_date"] = dc.values["request.due_date"];
        dc.values["request.days_overdue"] =
            state->days_left < 0 ? std::to_string(-state->days_left) : "";
      }
      dc.values["request.reference"] = request->reference;
      for (const auto& e : events) {
        if (e.type == core::RequestEventType::kSent) {
          dc.values["request.sent_on"] = pdf::longDate(e.on, us);
          dc.values["request.sent_via"] = e.via;
        }
        if (e.type == core::RequestEventType::kDenied) {
          dc.values["request.denied_on"] = pdf::longDate(e.on, us);
          dc.values["request.denial_reason"] = e.details;
        }
      }
    }
    auto fonts = pdf::FontKit::load();
    if (!fonts.isOk()) return fonts.status();
    pdf::DocInfo info{form->document_title.get("en"), client->name, form->title.get("en"),
                      ctx.env().clock.now()};
    auto doc = pdf::renderForm(*form, answers, dc, *fonts, info);
    if (!doc.isOk()) return doc.status();
    std::string tmp = out + ".partial";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      if (!f) return core::ioError("--out: cannot write " + out);
      f.write(reinterpret_cast<const char*>(doc->pdf.data()),
              static_cast<std::streamsize>(doc->pdf.size()));
      if (!f) return core::ioError("--out: writing " + out + " failed");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, out, ec);
    if (ec) return core::ioError("--out: cannot create " + out + ": " + ec.message());
    for (char32_t cp : doc->fallbacks) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
      warnings.push_back(std::string("the font has no glyph for ") + buf + "; it is written as [" +
                         buf + "] in the document");
    }
    if (a.json) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("out", out);
      o->set("pages", doc->pages);
      o->set("due_date", dc.values["due_date"]);
      Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
      for (const auto& s : warnings) w->add(s);
      o->set("warnings", w);
      ctx.printJson(o);
    } else {
      ctx.out() << "Wrote " << out << " (" << doc->pages << " page" << (doc->pages == 1 ? "" : "s")
                << ").\n";
      for (const auto& s : warnings) ctx.out() << "Note: " << s << "\n";
    }
    return core::Status::ok();
  }

 private:
  void buildContext(Context& ctx, const forms::FormSet& set, const jurisdiction::Registry& reg,
                    const forms::Form& form, const core::Client& client, const core::Case& kase,
                    const std::vector<core::Incident>& incidents, const core::Date& sent_on,
                    const Object::Ptr& answers, pdf::DocumentContext* dc,
                    std::vector<std::string>* warnings) {
    auto& v = dc->values;
    const core::Provider& p = kase.provider;
    v["client.name"] = client.name;
    v["client.email"] = client.email;
    v["client.phone"] = client.phone;
    v["client.address"] = client.address;
    v["provider.name"] = p.name;
    v["provider.credentials"] = p.credentials;
    v["provider.license_type"] = p.license_type;
    v["provider.license_number"] = p.license_number;
    v["provider.jurisdiction"] = p.jurisdiction;
    v["provider.practice"] = p.practice;
    v["provider.address"] = p.address;
    v["case.title"] = kase.title;
    if (kase.treatment_start) v["case.treatment_start"] = kase.treatment_start->toString();
    if (kase.treatment_end) v["case.treatment_end"] = kase.treatment_end->toString();

    auto chain = reg.chain(p.jurisdiction);
    bool us_style = true;
    if (!chain.empty()) {
      const jurisdiction::Jurisdiction* j = chain.front();
      v["jurisdiction.id"] = j->id;
      v["jurisdiction.name"] = j->name;
      dc->page_size = j->page_size == "a4" ? pdf::PageSize::kA4 : pdf::PageSize::kLetter;
      us_style = j->id == "us" || j->id.rfind("us-", 0) == 0;
      // The state's law first, the national baseline as "federal".
      const jurisdiction::Jurisdiction* state = nullptr;
      const jurisdiction::Jurisdiction* national = nullptr;
      for (const auto* c : chain) {
        if (!c->records_access) continue;
        if (state == nullptr) {
          state = c;
        } else if (national == nullptr) {
          national = c;
        }
      }
      if (state != nullptr) {
        const auto& ra = *state->records_access;
        v["law.name"] = ra.law_name;
        v["law.citation"] =
            ra.response ? ra.response->meta.source.citation : ra.meta.source.citation;
        v["law.url"] = ra.meta.source.url;
        if (ra.fees) v["law.fees"] = ra.fees->summary;
        if (ra.mental_health) v["law.mental_health"] = ra.mental_health->summary;
        if (ra.denial_review) v["law.denial_review"] = ra.denial_review->summary;
      }
      if (national != nullptr && national->records_access) {
        const auto& ra = *national->records_access;
        v["federal.name"] = ra.law_name;
        v["federal.citation"] =
            ra.response ? ra.response->meta.source.citation : ra.meta.source.citation;

        if (v["law.denial_review"].empty() && ra.denial_review) {
          v["law.denial_review"] = ra.denial_review->summary;
        }
        if (v["law.fees"].empty() && ra.fees) v["law.fees"] = ra.fees->summary;
      }
      // Records-access complaints go to the national privacy authority where there is one
      // (HHS OCR for US states); a country's own file names its authority.
      const jurisdiction::Jurisdiction* esc = national != nullptr ? national : state;
      if (esc != nullptr && esc->records_access->escalation) {
        const auto& e = *esc->records_access->escalation;
        v["escalation.body"] = e.body;
        v["escalation.url"] = e.url;
        v["escalation.how"] = e.how;
      }
      jurisdiction::DeadlineInput in{sent_on, {}, {}};
      auto combined = jurisdiction::computeCombined(reg, j->id, "records-access", in);
      if (combined.isOk()) {
        const auto& gov = combined->deadlines[combined->governing];
        v["due_date"] = pdf::longDate(gov.due, us_style);
        // For follow-ups: the request being followed up was received on --sent-on.
        v["request.sent_on"] = pdf::longDate(sent_on, us_style);
        v["request.due_date"] = v["due_date"];
        auto late = (ctx.env().clock.today().days() - gov.due.days()).count();
        if (late > 0) v["request.days_overdue"] = std::to_string(late);
        v["law.response_days"] = std::to_string(gov.count);
        v["law.response_rule"] = ruleSentence(gov);
        bool uses_deadline = false;
        for (const auto& block : form.blocks) {
          if (block.text.empty()) continue;
          const std::string& t = block.text.get("en");
          if (t.find("due_date") != std::string::npos ||
              t.find("response_rule") != std::string::npos) {
            uses_deadline = true;
          }
        }
        if (uses_deadline && !gov.meta->verified) {
          warnings->push_back("the deadline rule " + gov.meta->source.citation +
                              " is UNVERIFIED in Recourse's data: " + gov.meta->note);
        }
      }
    } else if (form.kind != "log") {
      warnings->push_back("the case names no known jurisdiction (" + p.jurisdiction +
                          "), so the letter cites no law and no due date");
    }
    v["today"] = pdf::longDate(ctx.env().clock.today(), us_style);
    dc->date_line = v["today"];

    // Letterhead: the person, then whoever the document is addressed to.
    std::string sender_name = answers->has("requester_name")
                                  ? jsonString(answers, "requester_name")
                                  : jsonString(answers, "complainant_name");
    dc->sender.push_back(sender_name.empty() ? client.name : sender_name);
    for (const char* id : {"requester_address", "complainant_address"}) {
      for (auto& line : addressLines(answers, id)) dc->sender.push_back(line);
    }
    if (form.kind == "complaint" && form.id == "escalation-complaint") {
      dc->recipient.push_back(v["escalation.body"]);
    } else if (form.kind == "complaint") {
      auto boards = reg.findBoards(p.jurisdiction, p.license_type);
      if (boards.isOk()) {
        const auto* b = (*boards)[0].board;
        v["board.name"] = b->name;
        v["board.address"] = b->address;
        v["board.email"] = b->email;
        v["board.website"] = b->website;
        // Board addresses often begin with the board's name already.
        if (b->address.rfind(b->name, 0) != 0) dc->recipient.push_back(b->name);
        if (!b->address.empty()) dc->recipient.push_back(b->address);
      } else {
        v["board.name"] = "the licensing board";
        warnings->push_back("no board was found for this therapist's license: " +
                            boards.status().message());
      }
    } else {
      std::string custodian = jsonString(answers, "custodian_name");
      std::string attention = jsonString(answers, "custodian_attention");
      if (!attention.empty()) dc->recipient.push_back(attention);
      dc->recipient.push_back(custodian.empty() ? p.name : custodian);
      for (auto& line : addressLines(answers, "custodian_address")) dc->recipient.push_back(line);
    }

    const forms::HarmTaxonomy* taxonomy = set.taxonomy ? &*set.taxonomy : nullptr;
    std::vector<std::string> harm_ids;
    for (const auto& i : incidents) {
      for (const auto& h : i.harm_kinds) {
        if (std::find(harm_ids.begin(), harm_ids.end(), h) == harm_ids.end()) harm_ids.push_back(h);
      }
    }
    for (const auto& id : harm_ids) {
      const forms::HarmKind* kind = taxonomy ? taxonomy->find(id) : nullptr;
      if (kind == nullptr) continue;
      pdf::HarmEntry e{kind->label, kind->description, ""};
      bool unchecked = false;
      for (const auto& c : kind->ethics) {
        std::string name = c.code;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        e.ethics += (e.ethics.empty() ? "" : "; ") + name + " " + c.section +
                    (c.title.empty() ? "" : " (" + c.title + ")");
        if (!c.verified) unchecked = true;
      }
      if (unchecked) {
        warnings->push_back("some ethics-code sections cited for \"" + kind->label +
                            "\" are UNVERIFIED against the codes' own text; check them "
                            "before filing (docs/forms.md)");
      }
      dc->harms.push_back(std::move(e));
    }
    for (const auto& i : incidents) {
      pdf::TimelineEntry e;
      std::string when = i.date_start ? i.date_start->toString() : "";
      if (i.date_precision == core::DatePrecision::kApproximate && !when.empty()) {
        when = "around " + when;
      }
      if (i.date_precision == core::DatePrecision::kRange && i.date_end) {
        when += " to " + i.date_end->toString();
      }
      if (i.date_precision == core::DatePrecision::kRecurring) when = "repeatedly from " + when;
      if (!i.date_text.empty()) when = i.date_text + (when.empty() ? "" : " (" + when + ")");
      e.date = when.empty() ? "date not given" : when;
      e.summary = i.summary;
      e.channel = i.channel;
      e.narrative = i.narrative;
      for (const auto& h : i.harm_kinds) {
        const forms::HarmKind* kind = taxonomy ? taxonomy->find(h) : nullptr;
        e.harm_labels += (e.harm_labels.empty() ? "" : "; ") + (kind ? kind->label : h);
      }
      dc->incidents.push_back(std::move(e));
    }
  }
};

}  // namespace

// `request letter ID`: the letter a tracked request calls for, through `letter --request`.
class RequestLetter final : public Command {
 public:
  std::string name() const override { return "request letter"; }
  std::string summary() const override {
    return "the letter a request calls for now (request, follow-up or review) as a PDF";
  }
  std::string usage() const override { return "request letter ID --out FILE.pdf [--form ID]"; }
  size_t maxPositionals() const override { return 1; }
  std::vector<OptionSpec> options() const override {
    std::vector<OptionSpec> all = LetterCommand().options();
    std::vector<OptionSpec> out;
    for (auto& o : all) {
      if (o.name != "case" && o.name != "request") out.push_back(o);
    }
    return out;
  }
  core::Status run(Context& ctx) override {
    if (ctx.args().positionals.empty()) {
      return core::invalidArgument("ID: name the request (see: recourse request list)");
    }
    ParsedArgs args = ctx.args();
    args.options["request"] = {args.positionals[0]};
    args.positionals.clear();
    Context inner(ctx.env(), std::move(args));
    return LetterCommand().run(inner);
  }
};

std::unique_ptr<Command> makeLetterCommand() { return std::make_unique<LetterCommand>(); }
std::unique_ptr<Command> makeRequestLetterCommand() { return std::make_unique<RequestLetter>(); }

}  // namespace recourse::cli
