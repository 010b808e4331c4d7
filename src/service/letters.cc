// Letters from form definitions: answers the case already knows, and everything else the
// document draws on (the law, due dates, letterhead, incidents, harms).
#include "service/letters.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/validation.h"
#include "jurisdiction/deadline.h"
#include "service/incidents.h"

namespace recourse::service {

using Poco::JSON::Object;

namespace {

std::string jsonString(const Object::Ptr& o, const std::string& k) {
  if (!o->has(k) || !o->get(k).isString()) return {};
  return o->get(k).extract<std::string>();
}

// Prefills answers a form asks for that the case already knows. Answers given by the
// person (file or --set) win.
}  // namespace

void prefillAnswers(const forms::Form& form, const core::Client& client, const core::Case& kase,
                    Object::Ptr answers) {
  const core::Provider& p = kase.provider;
  auto put = [&](const std::string& id, const std::string& value) {
    if (!value.empty() && form.findField(id) != nullptr && !answers->has(id)) {
      answers->set(id, value);
    }
  };
  // A letter to the therapist carries the person's contact details only when they put them
  // in themselves: the person it goes to may be the one who harmed them.
  const bool to_therapist = form.kind == "letter" && form.findField("custodian_name") == nullptr;
  put("requester_name", client.name);
  put("complainant_name", client.name);
  if (!to_therapist) put("requester_email", client.email);
  put("complainant_email", client.email);
  put("complainant_phone", client.phone);
  put("date_of_birth", client.date_of_birth);
  put("custodian_name", p.practice.empty() ? p.name : p.practice);
  put("therapist_name", p.name);
  put("license_number", p.license_number);
  put("practice", p.practice);
  // The practice's address is the custodian's only when the custodian is the practice or
  // the therapist: another custodian (a hospital's records office) has its own.
  const std::string custodian = jsonString(answers, "custodian_name");
  const bool custodian_is_practice =
      custodian.empty() || custodian == p.practice || custodian == p.name;
  if (form.findField("custodian_address") != nullptr && !answers->has("custodian_address") &&
      !p.address.empty() && custodian_is_practice) {
    Object::Ptr a = new Object;
    a->set("line1", p.address);
    answers->set("custodian_address", a);
  }
  for (const char* id : {"requester_address", "complainant_address"}) {
    if (to_therapist) break;
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

namespace {

std::vector<std::string> addressLines(const Object::Ptr& answers, const std::string& id) {
  std::vector<std::string> lines;
  if (!answers->has(id) || answers->get(id).type() != typeid(Object::Ptr)) return lines;
  auto a = answers->getObject(id);
  std::string city = jsonString(a, "city");
  std::string region = jsonString(a, "region");
  std::string postal = jsonString(a, "postal_code");
  // An address typed on one line ("12 Elm St, Oakland, CA 94601") is set out on an
  // envelope's lines; one given in parts keeps its parts.
  const bool one_line = city.empty() && region.empty() && postal.empty();
  for (const char* k : {"line1", "line2"}) {
    if (jsonString(a, k).empty()) continue;
    if (one_line) {
      for (auto& part : postalLines(jsonString(a, k))) lines.push_back(part);
    } else {
      lines.push_back(jsonString(a, k));
    }
  }
  std::string last = city;
  if (!region.empty()) last += (last.empty() ? "" : ", ") + region;
  if (!postal.empty()) last += (last.empty() ? "" : " ") + postal;
  if (!last.empty()) lines.push_back(last);
  if (!jsonString(a, "country").empty()) lines.push_back(jsonString(a, "country"));
  return lines;
}

// "16 days", "1 day".
std::string dayCount(long n) { return std::to_string(n) + (n == 1 ? " day" : " days"); }

std::string ruleSentence(const jurisdiction::Deadline& d) {
  std::string unit = d.type == jurisdiction::DayType::kCalendarMonth
                         ? (d.count == 1 ? "calendar month" : "calendar months")
                     : d.type == jurisdiction::DayType::kBusiness ? "business days"
                                                                  : "calendar days";
  const std::string what = d.rule == "records-amendment" ? "a request to correct records must "
                                                           "be acted on"
                           : d.rule == "disclosures-accounting"
                               ? "the list of disclosures must be provided"
                           : d.rule == "health-plan-access" ? "the plan's records must be provided"
                                                            : "the records must be provided";
  return "Under " + d.meta->source.citation + ", " + what + " within " + std::to_string(d.count) +
         " " + unit + " after " + d.starts_on + ".";
}

// What a request asks for, as the letters say it: what was asked for, the right it uses,
// and what a complaint about it is about.
std::string requestWhat(const std::string& right) {
  if (right == "amendment") return "a correction of my records";
  if (right == "accounting") return "a list of the disclosures of my health information";
  if (right == "claims") return "a copy of my claims records";
  return "a copy of my records";
}

void setRequestWords(const std::string& right, std::map<std::string, std::string>* v) {
  (*v)["request.what"] = requestWhat(right);
  if (right == "amendment") {
    (*v)["request.right_words"] = "to have my health records corrected";
    (*v)["request.complaint_title"] =
        "my request to correct my records was refused or not answered";
  } else if (right == "accounting") {
    (*v)["request.right_words"] = "to a list of the disclosures of my health information";
    (*v)["request.complaint_title"] =
        "I was not given a list of the disclosures of my health information";
  } else if (right == "claims") {
    (*v)["request.right_words"] = "of access to the health information my health plan holds";
    (*v)["request.complaint_title"] = "I was not given access to my health plan's records";
  } else {
    (*v)["request.right_words"] = "of access to my health records";
    (*v)["request.complaint_title"] = "I was not given access to my records";
  }
}

// The law of `right` that `j` records: its name, the citation of its time limit, its URL.
struct RightLaw {
  std::string name;
  std::string citation;
  std::string url;
  const jurisdiction::RecordsRight* right = nullptr;  // null for access
};
std::optional<RightLaw> lawOf(const jurisdiction::Jurisdiction& j, const std::string& right) {
  if (right == "access") {
    if (!j.records_access) return std::nullopt;
    const auto& ra = *j.records_access;
    return RightLaw{ra.law_name,
                    ra.response ? ra.response->meta.source.citation : ra.meta.source.citation,
                    ra.meta.source.url, nullptr};
  }
  const auto& r = right == "amendment"    ? j.records_amendment
                  : right == "accounting" ? j.disclosures_accounting
                                          : j.health_plan_access;
  if (!r) return std::nullopt;
  return RightLaw{r->law_name,
                  r->response ? r->response->meta.source.citation : r->meta.source.citation,
                  r->meta.source.url, &*r};
}

// A named text of a right beside access ("statement_of_disagreement"), or "".
std::string detailOf(const jurisdiction::RecordsRight* right, const std::string& key) {
  if (right == nullptr) return {};
  for (const auto& [k, text] : right->details) {
    if (k == key) return text;
  }
  return {};
}

// "180 calendar days", "3 calendar months", "10 business days".
std::string spanWords(const jurisdiction::Deadline& d) {
  std::string unit = d.type == jurisdiction::DayType::kCalendarMonth ? "calendar month"
                     : d.type == jurisdiction::DayType::kBusiness    ? "business day"
                                                                     : "calendar day";
  return std::to_string(d.count) + " " + unit + (d.count == 1 ? "" : "s");
}

// The one sentence a person reads about a fact that could not be confirmed: what relies on
// it, where it comes from, and its caution (never the research note).
std::string cautionFor(const std::string& what, const jurisdiction::FactMeta& m) {
  std::string cite = m.source.citation.empty() ? "" : " (" + m.source.citation + ")";
  return what + cite + " is not confirmed. " + m.caution;
}

// A license type as a letter says it: a type Recourse knows by its id
// ("marriage_family_therapist") in its words, mid-sentence ("marriage and family
// therapist"); anything else (what the person typed, "LMFT") as it is.
std::string licenseInWords(const jurisdiction::Registry& reg, const std::string& license_type) {
  for (const auto& t : reg.licenseTypes()) {
    if (t.id != license_type || t.label.empty()) continue;
    std::string words = t.label;
    const bool acronym = words.size() > 1 && std::isupper(static_cast<unsigned char>(words[1]));
    if (!acronym) words[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(words[0])));
    return words;
  }
  return license_type;
}

}  // namespace

namespace {

// Words in a sentence: "a", "a and b", "a, b and c".
std::string inWords(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  }
  return out;
}

// ethics.ending_code and ethics.ending_sections: the sections of the therapist's own
// profession's code on ending therapy and referrals (the abandonment kind of harm) that a
// letter may cite: verified, with their text read (plain words).
void applyEndingEthics(const forms::FormSet& set, const jurisdiction::Registry& reg,
                       const core::Provider& p, pdf::DocumentContext* dc) {
  if (!set.taxonomy) return;
  const forms::HarmKind* ending = set.taxonomy->find("abandonment");
  if (ending == nullptr) return;
  const std::string license = reg.resolveLicense(p.license_type, p.jurisdiction);
  std::vector<std::string> chain;
  for (const auto* j : reg.chain(p.jurisdiction)) chain.push_back(j->id);
  for (const auto& code : set.taxonomy->codes) {
    if (!code.ownFor(license, chain)) continue;
    std::vector<std::string> cited;
    for (const auto& c : ending->ethics) {
      if (c.code != code.id || !c.verified || c.plain.empty()) continue;
      cited.push_back(c.section + (c.title.empty() ? "" : " (\u201c" + c.title + "\u201d)"));
    }
    if (cited.empty()) continue;
    const std::string sections = (cited.size() == 1 ? "standard " : "standards ") + inWords(cited);
    // "National Association of Social Workers, Code of Ethics" reads in a sentence as "Code
    // of Ethics of the National Association of Social Workers".
    const size_t comma = code.name.find(", ");
    dc->values["ethics.ending_code"] =
        comma == std::string::npos
            ? code.name
            : code.name.substr(comma + 2) + " of the " + code.name.substr(0, comma);
    dc->values["ethics.ending_sections"] = sections;
    return;
  }
}

// copy_right.citation, consent.*: what makes the letter's direction to send a copy to someone
// the person names binding, from the chain nearest first. copy_right.citation: the confirmed
// laws that make the holder follow a written direction of this format (an electronic-only
// right is not cited for paper; one not confirmed is not relied on); consent.citation: the
// laws under which the letter is also the person's written consent, and consent.<element>
// ("yes") for each statement one of them requires. Where Recourse knows no such law (a place
// it has no file for), the consent still makes the statements such laws commonly ask for:
// the purpose, an end date, that it can be revoked, that the recipient may pass it on.
// A letter that sends the copy to someone else (send_to third_party) also cautions about an
// unconfirmed law it cites, and says when the person's signature needs a witness.
void applyThirdPartyCopy(const std::vector<const jurisdiction::Jurisdiction*>& chain,
                         const std::string& format, bool to_someone_else,
                         const core::Date& letter_date, bool us_style, pdf::DocumentContext* dc,
                         std::vector<std::string>* warnings) {
  auto& v = dc->values;
  std::vector<std::string> direct;
  std::vector<std::string> consent;
  for (const auto* j : chain) {
    if (!j->records_access || !j->records_access->third_party_copy) continue;
    const auto& t = *j->records_access->third_party_copy;
    if (t.direct_right && t.meta.verified && (!t.electronic_only || format != "paper")) {
      direct.push_back(t.meta.source.citation);
    }
    if (!t.consent) continue;
    const auto& c = *t.consent;
    consent.push_back(c.meta.source.citation);
    for (const auto& e : c.elements) v["consent." + e] = "yes";
    if (!to_someone_else) continue;
    if (!c.meta.verified)
      warnings->push_back(cautionFor("The rule for your authorization", c.meta));
    if (std::find(c.elements.begin(), c.elements.end(), "witness") != c.elements.end()) {
      warnings->push_back(
          "Sign the authorization in front of someone who can confirm who you are, "
          "and have them sign as witness where the page shows: " +
          c.meta.source.citation + " requires it.");
    }
  }
  v["copy_right.citation"] = inWords(direct);
  v["consent.citation"] = inWords(consent);
  if (consent.empty()) {
    for (const char* e : {"purpose", "expiry", "revoke", "redisclosure"}) {
      v[std::string("consent.") + e] = "yes";
    }
  }
  // A year from the letter: long enough for a slow office, and said as a day.
  v["consent.expires_on"] = pdf::longDate(
      core::Date(letter_date.year() + 1, letter_date.month(),
                 letter_date.month() == 2 && letter_date.day() == 29 ? 28 : letter_date.day()),
      us_style);
}

}  // namespace

void buildLetterContext(const forms::FormSet& set, const jurisdiction::Registry& reg,
                        const forms::Form& form, const core::Client& client, const core::Case& kase,
                        const std::vector<core::Incident>& incidents, const core::Date& sent_on,
                        const core::Date& today, const Object::Ptr& answers,
                        pdf::DocumentContext* dc, std::vector<std::string>* warnings) {
  auto& v = dc->values;
  const core::Provider& p = kase.provider;
  v["client.name"] = client.name;
  v["client.email"] = client.email;
  v["client.phone"] = client.phone;
  v["client.address"] = client.address;
  v["provider.name"] = p.name;
  v["provider.credentials"] = p.credentials;
  v["provider.license_type"] = licenseInWords(reg, p.license_type);
  v["provider.license_number"] = p.license_number;
  v["provider.jurisdiction"] = p.jurisdiction;
  v["provider.practice"] = p.practice;
  v["provider.address"] = p.address;
  v["provider.email"] = p.email;
  v["provider.phone"] = p.phone;
  v["case.title"] = kase.title;
  if (kase.treatment_start) v["case.treatment_start"] = kase.treatment_start->toString();
  if (kase.treatment_end) v["case.treatment_end"] = kase.treatment_end->toString();

  auto chain = reg.chain(p.jurisdiction);
  bool us_style = true;
  core::Date letter_date = today;
  if (!chain.empty()) {
    const jurisdiction::Jurisdiction* j = chain.front();
    v["jurisdiction.id"] = j->id;
    v["jurisdiction.name"] = j->name;
    dc->page_size = j->page_size == "a4" ? pdf::PageSize::kA4 : pdf::PageSize::kLetter;
    us_style = j->id == "us" || j->id.rfind("us-", 0) == 0;
    // The state's law first, the national baseline as "federal".
    const jurisdiction::Jurisdiction* state = nullptr;
    const jurisdiction::Jurisdiction* national = nullptr;
    // The right the letter relies on (access, a correction, a list of disclosures): the
    // state's law first, the national baseline as "federal"; a state without that right
    // leaves the national law to be cited alone.
    const std::string& right = form.right;
    setRequestWords(right, &v);
    for (const auto* c : chain) {
      if (!lawOf(*c, right)) continue;
      if (state == nullptr) {
        state = c;
      } else if (national == nullptr) {
        national = c;
      }
    }
    if (state != nullptr) {
      const RightLaw law = *lawOf(*state, right);
      v["law.name"] = law.name;
      v["law.citation"] = law.citation;
      v["law.url"] = law.url;
      if (state->records_access) {
        const auto& ra = *state->records_access;
        if (ra.fees) v["law.fees"] = ra.fees->summary;
        if (ra.mental_health) v["law.mental_health"] = ra.mental_health->summary;
        if (ra.denial_review) v["law.denial_review"] = ra.denial_review->summary;
      }
      v["law.statement_of_disagreement"] = detailOf(law.right, "statement_of_disagreement");
    }
    if (national != nullptr) {
      const RightLaw law = *lawOf(*national, right);
      v["federal.name"] = law.name;
      v["federal.citation"] = law.citation;
      if (national->records_access) {
        const auto& ra = *national->records_access;
        if (v["law.denial_review"].empty() && ra.denial_review) {
          v["law.denial_review"] = ra.denial_review->summary;
        }
        if (v["law.fees"].empty() && ra.fees) v["law.fees"] = ra.fees->summary;
      }
      if (v["law.statement_of_disagreement"].empty()) {
        v["law.statement_of_disagreement"] = detailOf(law.right, "statement_of_disagreement");
      }
    }
    // Complaints go to the national privacy authority where there is one (HHS OCR for US
    // states): the chain's last body that names one. A country's own file names its
    // authority. The same body enforces all three rights.
    const jurisdiction::Jurisdiction* esc = nullptr;
    for (const auto* c : chain) {
      if (c->records_access && c->records_access->escalation) esc = c;
    }
    if (esc != nullptr && esc->records_access->escalation) {
      const auto& e = *esc->records_access->escalation;
      v["escalation.body"] = e.body;
      v["escalation.url"] = e.url;
      v["escalation.how"] = e.how;
    }
    jurisdiction::DeadlineInput in{sent_on, {}, {}, reg.resolveLicense(p.license_type, j->id)};
    auto combined = jurisdiction::computeCombined(
        reg, j->id,
        core::requestKindRule(core::parseRequestKind(right).value_or(core::RequestKind::kAccess)),
        in);
    // The day the provider failed to answer in time: the escalation clock starts then
    // (jurisdiction/request_tracking.cc counts from the same day).
    std::optional<core::Date> unanswered_from;
    if (combined.isOk()) {
      const auto& gov = combined->deadlines[combined->governing];
      unanswered_from = jurisdiction::addDays(gov.due, 1);
      if (national != nullptr) {
        for (const auto& d : combined->deadlines) {
          if (d.jurisdiction_id == national->id) v["federal.response_rule"] = ruleSentence(d);
        }
      }
      v["due_date"] = pdf::longDate(gov.due, us_style);
      // For follow-ups: the request being followed up was received on --sent-on.
      v["request.sent_on"] = pdf::longDate(sent_on, us_style);
      v["request.due_date"] = v["due_date"];
      auto late = (today.days() - gov.due.days()).count();
      if (late > 0) {
        v["request.days_overdue"] = std::to_string(late);
        v["request.overdue_by"] = dayCount(late);
      }
      // A letter asking for an answer by a date is never dated after it: one made again
      // for a request received on a past day (a copy of what was sent) carries that day.
      if (gov.due < today && documentMentions(form, "{{due_date}}")) letter_date = sent_on;
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
        warnings->push_back(cautionFor("The due date", *gov.meta));
      }
      if (uses_deadline && gov.extension_applied && gov.extension_meta != nullptr &&
          !gov.extension_meta->verified) {
        warnings->push_back(cautionFor("The extended due date", *gov.extension_meta));
      }
    }
    // The time limit to complain to the escalation body, when the law gives it in days or
    // months and it is that body's own (not another in the chain).
    jurisdiction::DeadlineInput from{unanswered_from.value_or(today), {}, {}};
    auto limit = jurisdiction::computeCombined(reg, j->id, "escalation", from);
    if (esc != nullptr && limit.isOk() &&
        limit->deadlines[limit->governing].jurisdiction_id == esc->id) {
      const auto& d = limit->deadlines[limit->governing];
      v["escalation.time_limit"] = "within " + spanWords(d) + " (" + d.meta->source.citation + ")";
      if (!d.meta->verified && documentMentions(form, "escalation.")) {
        warnings->push_back(cautionFor("The time limit to complain", *d.meta));
      }
      // Without a tracked request the start is known only when the answer never came (the
      // day after it was due); a tracked request's refusal date is applyRequestState's.
      // A limit already past is not claimed as met.
      const bool unanswered =
          form.findField("problem") != nullptr && jsonString(answers, "problem") == "no_answer";
      if (unanswered && unanswered_from) {
        if (today <= d.due) {
          v["escalation.due_date"] = pdf::longDate(d.due, us_style);
        } else {
          warnings->push_back("the time limit to complain to " +
                              esc->records_access->escalation->body + " (" + spanWords(d) + ", " +
                              d.meta->source.citation +
                              ") counted from the day after the answer was due ended on " +
                              d.due.toString() + "; the complaint does not say it is on time");
        }
      }
    }
  } else if (form.kind != "log") {
    warnings->push_back("Recourse has no law for \"" + p.jurisdiction +
                        "\", so this document cites no law, no due date and no board.");
  }
  v["today"] = pdf::longDate(letter_date, us_style);
  dc->date_line = v["today"];
  applyThirdPartyCopy(chain, jsonString(answers, "format"),
                      jsonString(answers, "send_to") == "third_party", letter_date, us_style, dc,
                      warnings);
  dc->us_dates = us_style;

  // Letterhead: the person, then whoever the document is addressed to.
  std::string sender_name = answers->has("requester_name")
                                ? jsonString(answers, "requester_name")
                                : jsonString(answers, "complainant_name");
  dc->sender.push_back(sender_name.empty() ? client.name : sender_name);
  for (const char* id : {"requester_address", "complainant_address"}) {
    for (auto& line : addressLines(answers, id)) dc->sender.push_back(line);
  }
  // An email given for replies goes under the address: with no address it is the only way
  // to answer the letter.
  if (std::string email = jsonString(answers, "requester_email"); !email.empty()) {
    dc->sender.push_back(email);
  }
  if (form.kind == "complaint" && form.id == "escalation-complaint") {
    dc->recipient.push_back(v["escalation.body"]);
  } else if (form.kind == "complaint" || documentMentions(form, "{{board.") ||
             documentMentions(form, "{{#board.")) {
    // A complaint goes to the board; a letter that may name it (to the therapist) only
    // names it.
    const bool to_board = form.kind == "complaint";
    auto boards = reg.findBoards(p.jurisdiction, p.license_type);
    if (boards.isOk()) {
      const auto* b = (*boards)[0].board;
      v["board.name"] = b->name;
      v["board.address"] = b->address;
      v["board.email"] = b->email;
      v["board.website"] = b->website;
      // Only a confirmed limit: an unconfirmed one is a note for the person, not the board.
      if (b->complaint_time_limit && b->complaint_time_limit->meta.verified) {
        v["board.complaint_time_limit"] = b->complaint_time_limit->summary;
      }
      // Board addresses often begin with the board's name already.
      if (to_board && b->address.rfind(b->name, 0) != 0) dc->recipient.push_back(b->name);
      if (to_board) {
        for (auto& line : postalLines(b->address)) dc->recipient.push_back(line);
      }
    } else if (to_board) {
      v["board.name"] = "the licensing board";
      warnings->push_back("no board was found for this therapist's license: " +
                          boards.status().message());
    }
  }
  if (form.kind == "complaint") {
    // addressed above
  } else if (form.findField("custodian_name") == nullptr && !answers->has("custodian_name") &&
             !answers->has("custodian_address")) {
    // A letter to the therapist: their name, their practice, the practice's address.
    dc->recipient.push_back(p.name);
    if (!p.practice.empty() && p.practice != p.name) dc->recipient.push_back(p.practice);
    for (auto& line : postalLines(p.address)) dc->recipient.push_back(line);
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
  // Only a document that cites the ethics codes cautions about them.
  const bool cites_ethics = documentMentions(form, "{{ethics}}");
  std::vector<std::string> unchecked_kinds;
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
    if (unchecked) unchecked_kinds.push_back("\"" + kind->label + "\"");
    dc->harms.push_back(std::move(e));
  }
  if (cites_ethics && !unchecked_kinds.empty()) {
    warnings->push_back("Some ethics-code sections cited for " + inWords(unchecked_kinds) +
                        " could not be checked against the codes' own text; read them in the "
                        "code before you file.");
  }
  applyEndingEthics(set, reg, p, dc);
  // Asked to name the therapist's own code on endings, where none could be confirmed: the
  // letter leaves the sentence out, and the person is told why.
  if (form.findField("mention_code") != nullptr && answers->has("mention_code") &&
      answers->get("mention_code").isBoolean() && answers->getValue<bool>("mention_code") &&
      v["ethics.ending_sections"].empty()) {
    warnings->push_back(
        "The letter names no section of the therapist's code of ethics: none of their own "
        "profession's code on ending therapy could be confirmed against the code itself.");
  }
  for (const auto& i : incidents) {
    pdf::TimelineEntry e;
    e.date = describeWhen(i);
    e.summary = i.summary;
    e.channel = channelLabel(set, i.channel);  // the form's words, never the code
    e.narrative = i.narrative;
    e.impact = i.impact;
    e.witnesses = i.witnesses;
    for (const auto& h : i.harm_kinds) {
      const forms::HarmKind* kind = taxonomy ? taxonomy->find(h) : nullptr;
      e.harm_labels += (e.harm_labels.empty() ? "" : "; ") + (kind ? kind->label : h);
    }
    dc->incidents.push_back(std::move(e));
  }
  // Each caution once, in the order first given.
  std::vector<std::string> once;
  for (auto& w : *warnings) {
    if (std::find(once.begin(), once.end(), w) == once.end()) once.push_back(std::move(w));
  }
  *warnings = std::move(once);
}

std::vector<std::string> glyphNotes(const std::vector<char32_t>& fallbacks) {
  std::vector<std::string> out;
  for (char32_t cp : fallbacks) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    const bool control = cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF;
    out.push_back(control ? std::string("the text has an invisible control character (") + buf +
                                "); it is written as [" + buf + "] in the document"
                          : std::string("the font has no glyph for ") + buf +
                                "; it is written as [" + buf + "] in the document");
  }
  return out;
}

void requestAnswers(const forms::Form& form, const core::RecordsRequest& request,
                    Object::Ptr answers) {
  if (!request.answers_json.empty()) {
    std::vector<forms::Problem> problems;
    auto stored = jurisdiction::parseJsonObject(request.answers_json, "request", &problems);
    if (stored) {
      // Keep only what this form asks.
      for (const auto& name : stored->getNames()) {
        if (form.findField(name) != nullptr) answers->set(name, stored->get(name));
      }
    }
  }
  if (form.findField("custodian_name") != nullptr) {
    answers->set("custodian_name", request.custodian_name);
  }
  if (form.findField("custodian_email") != nullptr && !request.custodian_email.empty()) {
    answers->set("custodian_email", request.custodian_email);
  }
  if (form.findField("custodian_address") != nullptr && !request.custodian_address.empty() &&
      !answers->has("custodian_address")) {
    Object::Ptr addr = new Object;
    addr->set("line1", request.custodian_address);
    answers->set("custodian_address", addr);
  }
  // Then what the person gave for this letter itself (a later letter's own page): it wins
  // over the request's answers; "" keeps an answer they emptied empty.
  if (request.answers_json.empty()) return;
  std::vector<forms::Problem> problems;
  auto stored = jurisdiction::parseJsonObject(request.answers_json, "request", &problems);
  if (!stored || !stored->has("letters") || stored->get("letters").type() != typeid(Object::Ptr)) {
    return;
  }
  Object::Ptr letters = stored->getObject("letters");
  if (!letters->has(form.id) || letters->get(form.id).type() != typeid(Object::Ptr)) return;
  Object::Ptr mine = letters->getObject(form.id);
  for (const auto& name : mine->getNames()) {
    if (form.findField(name) != nullptr) answers->set(name, mine->get(name));
  }
}

void applyRequestState(const core::RecordsRequest& request, const jurisdiction::RequestState& state,
                       const std::vector<core::RequestEvent>& events, pdf::DocumentContext* dc) {
  auto& v = dc->values;
  bool us = v["jurisdiction.id"].rfind("us", 0) == 0;
  // What the request asked for, and the rule that times it: a follow-up to a correction
  // request quotes the correction's time limit, not the one for copies.
  setRequestWords(core::requestKindName(request.kind), &v);
  if (state.deadline) {
    v["law.response_rule"] = ruleSentence(state.deadline->deadlines[state.deadline->governing]);
  }
  if (state.due) {
    v["request.due_date"] = pdf::longDate(*state.due, us);
    v["due_date"] = v["request.due_date"];
    v["request.days_overdue"] = state.days_left < 0 ? std::to_string(-state.days_left) : "";
    v["request.overdue_by"] = state.days_left < 0 ? dayCount(-state.days_left) : "";
  }
  v["request.reference"] = request.reference;
  for (const auto& e : events) {
    if (e.type == core::RequestEventType::kSent) {
      v["request.sent_on"] = pdf::longDate(e.on, us);
      v["request.sent_via"] = e.via;
    }
    if (e.type == core::RequestEventType::kDenied) {
      v["request.denied_on"] = pdf::longDate(e.on, us);
      // The letters end the reason with their own full stop.
      std::string reason = e.details;
      while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) reason.pop_back();
      v["request.denial_reason"] = reason;
    }
  }
  // The escalation limit as the request's state counts it (from the refusal, or from the
  // day after the answer was due), for the body the letter names (escalation.time_limit
  // set), and only while it is open. state.days_left counts from the day the state was
  // derived for, so that day is due - days_left.
  v.erase("escalation.due_date");
  if (v["escalation.time_limit"].empty() || !state.due) return;
  const core::Date today = jurisdiction::addDays(*state.due, static_cast<int>(-state.days_left));
  for (const auto& step : state.next) {
    if (step.form == "escalation-complaint" && step.by && today <= *step.by) {
      v["escalation.due_date"] = pdf::longDate(*step.by, us);
    }
  }
}

bool documentMentions(const forms::Form& form, const std::string& name) {
  for (const auto& block : form.blocks) {
    if (!block.text.empty() && block.text.get("en").find(name) != std::string::npos) return true;
    for (const auto& item : block.items) {
      if (item.get("en").find(name) != std::string::npos) return true;
    }
  }
  return false;
}

std::string channelInWords(const std::string& via) {
  static const std::map<std::string, std::string> kVia = {
      {"online", "online"}, {"mail", "by post"},        {"email", "by email"},
      {"fax", "by fax"},    {"in_person", "in person"}, {"portal", "through their portal"}};
  auto it = kVia.find(via);
  return it == kVia.end() ? "" : it->second;
}

void applyComplaint(const core::Complaint& complaint, const jurisdiction::ComplaintState& state,
                    const jurisdiction::Board* board, pdf::DocumentContext* dc) {
  auto& v = dc->values;
  if (complaint.filed_on)
    v["complaint.filed_on"] = pdf::longDate(*complaint.filed_on, dc->us_dates);
  v["complaint.filed_via"] = channelInWords(complaint.filed_via);
  v["complaint.reference"] = complaint.board_reference;
  // Heard from on the filing day itself (an online filing acknowledged at once) counts too.
  v["complaint.last_heard"] =
      state.heard && state.last_word ? pdf::longDate(*state.last_word, dc->us_dates) : "";
  if (board != nullptr) {
    v["board.name"] = board->name;
    v["board.address"] = board->address;
    v["board.email"] = board->email;
    v["board.website"] = board->website;
    dc->recipient.clear();
    if (board->address.rfind(board->name, 0) != 0) dc->recipient.push_back(board->name);
    for (auto& line : postalLines(board->address)) dc->recipient.push_back(line);
  }
}

void applyPacket(const std::vector<core::EvidenceItem>& evidence, size_t incident_count,
                 pdf::DocumentContext* dc) {
  for (size_t i = 0; i < evidence.size(); ++i) {
    const auto& e = evidence[i];
    dc->exhibits.push_back({std::to_string(i + 1),
                            e.description.empty() ? e.original_name : e.description,
                            // ISO dates fit the index's narrow column on one line.
                            e.date ? e.date->toString() : "", e.sha256_hex});
  }
  dc->values["packet.incident_count"] = std::to_string(incident_count);
  // Set only when there is an exhibit, so a sentence about exhibits can depend on it.
  if (!evidence.empty()) dc->values["packet.exhibit_count"] = std::to_string(evidence.size());
  auto count = [](size_t n, const char* one, const char* many) {
    return n == 0 ? std::string("no ") + many : std::to_string(n) + " " + (n == 1 ? one : many);
  };
  dc->values["packet.incidents"] = count(incident_count, "incident", "incidents");
  dc->values["packet.exhibits"] = count(evidence.size(), "exhibit", "exhibits");
  // What the ethics standards listed are (the complaint says more: whose come first).
  if (!dc->harms.empty() && dc->values["packet.ethics_note"].empty()) {
    dc->values["packet.ethics_note"] =
        "These sections of professional codes of ethics concern the kinds of harm described "
        "above.";
  }
}

void followupAnswers(const forms::Form& form, const std::vector<core::RequestEvent>& events,
                     Object::Ptr answers) {
  if (form.findField("heard_back") == nullptr || answers->has("heard_back")) return;
  std::string heard = "nothing";
  std::string missing;
  for (const auto& e : events) {
    if (e.type == core::RequestEventType::kAcknowledged && heard == "nothing") {
      heard = "acknowledged";
    }
    if (e.type == core::RequestEventType::kReceivedPartial) {
      heard = "partial";
      if (!e.details.empty()) missing = e.details;
    }
  }
  answers->set("heard_back", heard);
  if (!missing.empty() && form.findField("missing_parts") != nullptr &&
      !answers->has("missing_parts")) {
    answers->set("missing_parts", missing);
  }
}

core::Status applySetOptions(const forms::Form& form, const std::vector<std::string>& sets,
                             Object::Ptr answers) {
  for (const auto& s : sets) {
    size_t eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      return core::invalidArgument("expected FIELD=VALUE, got \"" + s.substr(0, 40) + "\"")
          .withField("set");
    }
    std::string key = s.substr(0, eq);
    std::string value = s.substr(eq + 1);
    // FIELD.PART=VALUE sets one part of a person, address or date-range answer.
    size_t dot = key.find('.');
    std::string part = dot == std::string::npos ? "" : key.substr(dot + 1);
    key = key.substr(0, dot);
    const forms::Field* f = form.findField(key);
    if (f == nullptr) {
      return core::invalidArgument(key + " is not a field of " + form.id).withField("set");
    }
    if (!part.empty()) {
      const auto& parts = forms::fieldParts(f->type);
      if (std::find(parts.begin(), parts.end(), part) == parts.end()) {
        return core::invalidArgument(key + " has no part \"" + part + "\"").withField("set");
      }
      Object::Ptr obj = answers->has(key) && answers->get(key).type() == typeid(Object::Ptr)
                            ? answers->getObject(key)
                            : Object::Ptr(new Object);
      obj->set(part, value);
      answers->set(key, obj);
      continue;
    }
    if (f->type == forms::FieldType::kYesNo) {
      auto yes = core::parseYesNo(value);
      if (!yes) {
        return core::invalidArgument(key + " takes " + core::kYesNoWords + ", not \"" +
                                     value.substr(0, 20) + "\"")
            .withField("set");
      }
      answers->set(key, *yes);
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
  return core::Status::ok();
}

std::vector<std::string> postalLines(const std::string& address) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= address.size()) {
    size_t comma = address.find(", ", start);
    std::string part = address.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!part.empty()) parts.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  auto has_digit = [](const std::string& t) {
    return std::any_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  // "CA 95834", "ON M5G 2J5", "Ontario M5R 3P1", "Texas 78701": a region, then a code.
  auto region_and_code = [&](const std::string& t) {
    size_t space = t.find(' ');
    if (space == std::string::npos || space == 0 || !has_digit(t.substr(space + 1))) return false;
    const std::string region = t.substr(0, space);
    if (has_digit(region)) return false;
    if (std::all_of(region.begin(), region.end(), [](unsigned char c) { return std::isupper(c); }))
      return region.size() == 2;
    const std::string code = t.substr(space + 1);
    return std::isupper(static_cast<unsigned char>(region[0])) &&
           std::none_of(code.begin(), code.end(), [](unsigned char c) { return std::islower(c); });
  };
  if (parts.size() >= 2 && region_and_code(parts.back()) && !has_digit(parts[parts.size() - 2])) {
    parts[parts.size() - 2] += ", " + parts.back();
    parts.pop_back();
  }
  return parts;
}

}  // namespace recourse::service
