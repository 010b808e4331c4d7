#include "forms/loader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <kainjow/mustache.hpp>
#include <map>
#include <regex>
#include <set>

#include "forms/context.h"

namespace recourse::forms {
namespace {

using jurisdiction::ArrayPtr;
using jurisdiction::JsonReader;
using jurisdiction::ObjectPtr;

const std::regex kIdPattern("[a-z][a-z0-9_]{0,63}");
const std::regex kFormIdPattern("[a-z][a-z0-9-]{0,63}");

class Parser {
 public:
  Parser(const std::string& file, std::vector<Problem>* problems) : r_(file, problems) {}

  LocalText text(const ObjectPtr& o, const std::string& path, const std::string& key,
                 bool required) {
    LocalText t;
    ObjectPtr obj = r_.object(o, path, key, required);
    if (!obj) return t;
    std::string p = JsonReader::member(path, key);
    for (const auto& lang : obj->getNames()) {
      if (lang.size() != 2 || !std::islower(static_cast<unsigned char>(lang[0]))) {
        r_.problem(JsonReader::member(p, lang), "is not a two-letter language code");
        continue;
      }
      t.by_lang[lang] = r_.string(obj, p, lang, true);
      texts_.push_back({JsonReader::member(p, lang), t.by_lang[lang]});
    }
    if (!t.by_lang.count("en")) r_.problem(p, "needs English text (\"en\")");
    return t;
  }

  LocalText textValue(const Poco::Dynamic::Var& v, const std::string& path) {
    LocalText t;
    if (v.type() != typeid(ObjectPtr)) {
      r_.problem(path, "must be an object of texts by language, e.g. {\"en\": \"...\"}");
      return t;
    }
    ObjectPtr holder = new Poco::JSON::Object;
    holder->set("t", v);
    t = text(holder, path.substr(0, path.size()), "t", true);
    // Re-point the recorded paths from "<path>.t" to "<path>".
    for (auto& [p, s] : texts_) {
      std::string from = path + ".t";
      if (p.rfind(from, 0) == 0) p = path + p.substr(from.size());
    }
    return t;
  }

  std::optional<Condition> condition(const ObjectPtr& parent, const std::string& ppath,
                                     const std::string& key) {
    ObjectPtr o = r_.object(parent, ppath, key, false);
    if (!o) return std::nullopt;
    return conditionObject(o, JsonReader::member(ppath, key));
  }

  Condition conditionObject(const ObjectPtr& o, const std::string& path) {
    Condition c;
    r_.checkKeys(o, path, {"field", "equals", "in", "is_set", "all", "any", "not"});
    auto list = [&](const std::string& key, Condition::Op op) {
      c.op = op;
      if (ArrayPtr arr = r_.array(o, path, key, true)) {
        for (size_t i = 0; i < arr->size(); ++i) {
          if (ObjectPtr child = r_.objectAt(arr, JsonReader::member(path, key), i)) {
            c.children.push_back(
                conditionObject(child, JsonReader::index(JsonReader::member(path, key), i)));
          }
        }
        if (arr->size() == 0) r_.problem(JsonReader::member(path, key), "must not be empty");
      }
    };
    if (o->has("all")) {
      list("all", Condition::Op::kAll);
    } else if (o->has("any")) {
      list("any", Condition::Op::kAny);
    } else if (o->has("not")) {
      c.op = Condition::Op::kNot;
      if (ObjectPtr child = r_.object(o, path, "not", true)) {
        c.children.push_back(conditionObject(child, JsonReader::member(path, "not")));
      }
    } else {
      c.field = r_.string(o, path, "field", true);
      conditions_.push_back({JsonReader::member(path, "field"), c.field});
      if (o->has("equals")) {
        c.op = Condition::Op::kEquals;
        c.values.push_back(scalar(o->get("equals"), JsonReader::member(path, "equals")));
      } else if (o->has("in")) {
        c.op = Condition::Op::kIn;
        if (ArrayPtr arr = r_.array(o, path, "in", true)) {
          for (size_t i = 0; i < arr->size(); ++i) {
            c.values.push_back(scalar(arr->get(static_cast<unsigned>(i)),
                                      JsonReader::index(JsonReader::member(path, "in"), i)));
          }
        }
      } else if (o->has("is_set")) {
        c.op = Condition::Op::kIsSet;
        c.is_set = r_.boolean(o, path, "is_set", true).value_or(true);
      } else {
        r_.problem(path, "needs one of equals, in, is_set (or all, any, not)");
      }
    }
    return c;
  }

  std::string scalar(const Poco::Dynamic::Var& v, const std::string& path) {
    if (v.isBoolean()) return v.extract<bool>() ? "true" : "false";
    if (v.isString()) return v.extract<std::string>();
    r_.problem(path, "must be a string or true/false");
    return {};
  }

  Field field(const ObjectPtr& o, const std::string& path) {
    r_.checkKeys(o, path,
                 {"id", "type", "required", "required_if", "label", "document_label", "help",
                  "options", "show_if", "validation", "parts"});
    Field f;
    f.id = r_.string(o, path, "id", true);
    if (!f.id.empty() && !std::regex_match(f.id, kIdPattern)) {
      r_.problem(path + ".id", "must be lowercase letters, digits and _ (a placeholder name)");
    }
    std::string type = r_.string(o, path, "type", true);
    if (auto t = parseFieldType(type)) {
      f.type = *t;
    } else if (!type.empty()) {
      r_.problem(path + ".type", "\"" + type.substr(0, 30) +
                                     "\" is not text, long_text, date, approximate_date, "
                                     "date_range, choice, multi_choice, yes_no, person, "
                                     "address or file");
    }
    f.required = r_.boolean(o, path, "required", false).value_or(false);
    f.label = text(o, path, "label", true);
    f.document_label = text(o, path, "document_label", false);
    f.help = text(o, path, "help", false);
    ArrayPtr opts = r_.array(o, path, "options", false);
    bool choice = f.type == FieldType::kChoice || f.type == FieldType::kMultiChoice;
    if (choice && !opts) r_.problem(path + ".options", "a choice field needs options");
    if (!choice && opts) r_.problem(path + ".options", "only choice fields have options");
    if (opts) {
      std::set<std::string> seen;
      for (size_t i = 0; i < opts->size(); ++i) {
        std::string op = JsonReader::index(path + ".options", i);
        ObjectPtr oo = r_.objectAt(opts, path + ".options", i);
        if (!oo) continue;
        r_.checkKeys(oo, op, {"value", "label"});
        Option opt;
        opt.value = r_.string(oo, op, "value", true);
        if (!opt.value.empty() && !seen.insert(opt.value).second) {
          r_.problem(op + ".value", "\"" + opt.value + "\" is used twice");
        }
        opt.label = text(oo, op, "label", true);
        f.options.push_back(std::move(opt));
      }
    }
    f.show_if = condition(o, path, "show_if");
    f.required_if = condition(o, path, "required_if");
    if (ObjectPtr parts = r_.object(o, path, "parts", false)) partRules(parts, path, &f);
    if (f.required_if && f.required) {
      r_.problem(path + ".required_if",
                 "is for a field that is not always required; remove "
                 "\"required\" or this");
    }
    if (ObjectPtr v = r_.object(o, path, "validation", false)) {
      std::string vp = path + ".validation";
      r_.checkKeys(v, vp,
                   {"min_length", "max_length", "pattern", "format", "not_after", "not_before"});
      if (auto format = r_.string(v, vp, "format", false); !format.empty()) {
        if (format == "email") {
          f.email = true;
        } else {
          r_.problem(vp + ".format", "\"" + format.substr(0, 30) + "\" is not a format; use email");
        }
      }
      for (const char* key : {"not_after", "not_before"}) {
        const std::string limit = r_.string(v, vp, key, false);
        if (limit.empty()) continue;
        const bool dated = f.type == FieldType::kDate || f.type == FieldType::kApproximateDate ||
                           f.type == FieldType::kDateRange;
        const std::string kp = vp + "." + key;
        if (limit != "today") {
          r_.problem(kp, "\"" + limit.substr(0, 30) + "\" is not a limit; use today");
        } else if (!dated) {
          r_.problem(kp, "is for date, approximate_date and date_range fields");
        } else {
          (std::string(key) == "not_after" ? f.not_after_today : f.not_before_today) = true;
        }
      }
      if (auto n = r_.integer(v, vp, "min_length", false)) f.min_length = static_cast<size_t>(*n);
      if (auto n = r_.integer(v, vp, "max_length", false)) f.max_length = static_cast<size_t>(*n);
      f.pattern = r_.string(v, vp, "pattern", false);
      if (!f.pattern.empty()) {
        try {
          std::regex test(f.pattern);
        } catch (const std::regex_error&) {
          r_.problem(vp + ".pattern", "is not a valid regular expression");
        }
      }
    }
    return f;
  }

  // "parts": {"address": {"required_if": {...}, "help": {...}}, "email": {"validation":
  // {"format": "email"}}}: only on person fields, only their parts.
  void partRules(const ObjectPtr& parts, const std::string& fpath, Field* f) {
    const std::string path = fpath + ".parts";
    // An address is typed as one box in the browser, so rules on its parts could never be
    // met there: parts are for people only.
    if (f->type != FieldType::kPerson) {
      r_.problem(path, "are for person fields (an address is asked as one answer)");
      return;
    }
    const auto& known = fieldParts(f->type);
    for (const auto& name : parts->getNames()) {
      const std::string pp = JsonReader::member(path, name);
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        r_.problem(pp, "is not a part of a " + std::string(fieldTypeName(f->type)) +
                           " answer; its parts are " + list);
        continue;
      }
      ObjectPtr po = r_.object(parts, path, name, true);
      if (!po) continue;
      r_.checkKeys(po, pp, {"required", "required_if", "help", "validation"});
      PartRule rule;
      rule.required = r_.boolean(po, pp, "required", false).value_or(false);
      rule.required_if = condition(po, pp, "required_if");
      if (rule.required && rule.required_if) {
        r_.problem(pp + ".required_if",
                   "is for a part that is not always required; remove \"required\" or this");
      }
      rule.help = text(po, pp, "help", false);
      if (ObjectPtr v = r_.object(po, pp, "validation", false)) {
        const std::string vp = pp + ".validation";
        r_.checkKeys(v, vp, {"format"});
        const std::string format = r_.string(v, vp, "format", true);
        if (format == "email") {
          rule.email = true;
        } else if (!format.empty()) {
          r_.problem(vp + ".format", "\"" + format.substr(0, 30) + "\" is not a format; use email");
        }
      }
      f->parts[name] = std::move(rule);
    }
  }

  Block block(const ObjectPtr& o, const std::string& path) {
    r_.checkKeys(o, path, {"type", "text", "items", "fields", "justify", "large", "show_if"});
    Block b;
    static const std::vector<std::pair<std::string, BlockType>> kTypes = {
        {"letterhead", BlockType::kLetterhead},
        {"date_line", BlockType::kDateLine},
        {"heading", BlockType::kHeading},
        {"paragraph", BlockType::kParagraph},
        {"list", BlockType::kList},
        {"field_table", BlockType::kFieldTable},
        {"timeline", BlockType::kTimeline},
        {"history", BlockType::kHistory},
        {"exhibit_index", BlockType::kExhibitIndex},
        {"signature", BlockType::kSignature},
        {"page_break", BlockType::kPageBreak}};
    std::string type = r_.string(o, path, "type", true);
    bool known = false;
    for (const auto& [name, t] : kTypes) {
      if (name == type) {
        b.type = t;
        known = true;
      }
    }
    if (!known && !type.empty()) {
      r_.problem(path + ".type", "\"" + type.substr(0, 30) + "\" is not a block type");
    }
    bool needs_text = b.type == BlockType::kHeading || b.type == BlockType::kParagraph;
    b.text = text(o, path, "text", needs_text);
    if (ArrayPtr items = r_.array(o, path, "items", b.type == BlockType::kList)) {
      for (size_t i = 0; i < items->size(); ++i) {
        b.items.push_back(
            textValue(items->get(static_cast<unsigned>(i)), JsonReader::index(path + ".items", i)));
      }
    }
    b.fields = r_.stringArray(o, path, "fields", b.type == BlockType::kFieldTable);
    for (size_t i = 0; i < b.fields.size(); ++i) {
      table_fields_.push_back({JsonReader::index(path + ".fields", i), b.fields[i]});
    }
    b.justify = r_.boolean(o, path, "justify", false).value_or(false);
    b.large = r_.boolean(o, path, "large", false).value_or(false);
    if (b.large && b.type != BlockType::kParagraph && b.type != BlockType::kSignature) {
      r_.problem(path + ".large", "only paragraphs and signatures can be in large type");
    }
    if (b.justify && b.type != BlockType::kParagraph) {
      r_.problem(path + ".justify", "only paragraphs can be justified");
    }
    b.show_if = condition(o, path, "show_if");
    return b;
  }

  std::optional<Form> form(const ObjectPtr& root, const std::string& file) {
    size_t before = r_.problemCount();
    r_.checkKeys(root, "$",
                 {"id", "version", "kind", "right", "title", "description", "steps", "document"});
    Form f;
    f.file = file;
    f.id = r_.string(root, "$", "id", true);
    if (!f.id.empty() && !std::regex_match(f.id, kFormIdPattern)) {
      r_.problem("$.id", "must be lowercase letters, digits and -");
    }
    std::string base = file.substr(file.find_last_of('/') + 1);
    if (!f.id.empty() && base != f.id + ".json") {
      r_.problem("$.id", "\"" + f.id + "\" does not match the file name " + base);
    }
    f.version = static_cast<int>(r_.integer(root, "$", "version", true).value_or(1));
    f.kind = r_.string(root, "$", "kind", true);
    if (!f.kind.empty() && f.kind != "letter" && f.kind != "complaint" && f.kind != "log") {
      r_.problem("$.kind", "must be letter, complaint or log");
    }
    f.right = r_.string(root, "$", "right", false);
    if (f.right.empty()) f.right = "access";
    if (f.right != "access" && f.right != "amendment" && f.right != "accounting" &&
        f.right != "claims") {
      r_.problem("$.right", "must be access, amendment, accounting or claims");
    }
    f.title = text(root, "$", "title", true);
    f.description = text(root, "$", "description", false);
    std::set<std::string> ids;
    if (ArrayPtr steps = r_.array(root, "$", "steps", true)) {
      for (size_t i = 0; i < steps->size(); ++i) {
        std::string sp = JsonReader::index("$.steps", i);
        ObjectPtr so = r_.objectAt(steps, "$.steps", i);
        if (!so) continue;
        r_.checkKeys(so, sp, {"id", "title", "intro", "fields", "show_if"});
        Step s;
        s.id = r_.string(so, sp, "id", true);
        s.title = text(so, sp, "title", true);
        s.intro = text(so, sp, "intro", false);
        s.show_if = condition(so, sp, "show_if");
        if (ArrayPtr fields = r_.array(so, sp, "fields", true)) {
          for (size_t k = 0; k < fields->size(); ++k) {
            std::string fp = JsonReader::index(sp + ".fields", k);
            if (ObjectPtr fo = r_.objectAt(fields, sp + ".fields", k)) {
              Field fld = field(fo, fp);
              if (!fld.id.empty() && !ids.insert(fld.id).second) {
                r_.problem(fp + ".id", "\"" + fld.id + "\" is used twice in this form");
              }
              s.fields.push_back(std::move(fld));
            }
          }
        }
        f.steps.push_back(std::move(s));
      }
    }
    if (ObjectPtr doc = r_.object(root, "$", "document", true)) {
      r_.checkKeys(doc, "$.document", {"title", "blocks"});
      f.document_title = text(doc, "$.document", "title", true);
      if (ArrayPtr blocks = r_.array(doc, "$.document", "blocks", true)) {
        for (size_t i = 0; i < blocks->size(); ++i) {
          if (ObjectPtr bo = r_.objectAt(blocks, "$.document.blocks", i)) {
            f.blocks.push_back(block(bo, JsonReader::index("$.document.blocks", i)));
          }
        }
      }
    }
    crossCheck(f);
    if (r_.problemCount() != before) return std::nullopt;
    return f;
  }

 private:
  // Names in show_if and field tables must be fields; placeholders must be fields (or their
  // parts) or context names; mustache syntax must be valid.
  void crossCheck(const Form& f) {
    for (const auto& [path, name] : conditions_) {
      if (!name.empty() && f.findField(name) == nullptr) {
        r_.problem(path, "\"" + name + "\" is not a field of this form");
      }
    }
    for (const auto& [path, name] : table_fields_) {
      if (f.findField(name) == nullptr) {
        r_.problem(path, "\"" + name + "\" is not a field of this form");
      }
    }
    for (const auto& [path, text] : texts_) checkTemplate(f, path, text);
  }

  bool knownName(const Form& f, const std::string& name,
                 const std::vector<std::string>& open_lists) {
    if (name == ".") return !open_lists.empty();
    if (contextNames().count(name) || contextLists().count(name)) return true;
    for (const auto& list : open_lists) {
      auto it = contextLists().find(list);
      if (it != contextLists().end() && it->second.count(name)) return true;
    }
    size_t dot = name.find('.');
    const Field* field = f.findField(name.substr(0, dot));
    if (field == nullptr) return false;
    if (dot == std::string::npos) return true;
    const auto& parts = fieldParts(field->type);
    return std::find(parts.begin(), parts.end(), name.substr(dot + 1)) != parts.end();
  }

  void checkTemplate(const Form& f, const std::string& path, const std::string& text) {
    kainjow::mustache::mustache tmpl{text};
    if (!tmpl.is_valid()) {
      r_.problem(path, "template error: " + tmpl.error_message());
      return;
    }
    // Walk the tags: {{name}}, {{{name}}}, {{&name}}, {{#name}}, {{^name}}, {{/name}}.
    std::vector<std::string> open_lists;
    size_t pos = 0;
    while ((pos = text.find("{{", pos)) != std::string::npos) {
      bool triple = text.compare(pos, 3, "{{{") == 0;
      size_t start = pos + (triple ? 3 : 2);
      size_t end = text.find(triple ? "}}}" : "}}", start);
      if (end == std::string::npos) break;
      std::string tag = text.substr(start, end - start);
      pos = end + (triple ? 3 : 2);
      char sigil = tag.empty() ? ' ' : tag[0];
      if (sigil == '!') continue;
      if (sigil == '=') {
        r_.problem(path, "changing the mustache delimiters is not allowed");
        continue;
      }
      if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&' || sigil == '>') {
        tag = tag.substr(1);
      }
      tag.erase(0, tag.find_first_not_of(' '));
      tag.erase(tag.find_last_not_of(' ') + 1);
      if (sigil == '>') {
        r_.problem(path, "partials ({{>" + tag + "}}) are not allowed");
        continue;
      }
      if (sigil == '/') {
        if (!open_lists.empty() && open_lists.back() == tag) open_lists.pop_back();
        continue;
      }
      if (!knownName(f, tag, open_lists)) {
        r_.problem(path, "placeholder {{" + tag +
                             "}} names no field of this form and no "
                             "known value (see docs/forms.md)");
      }
      if (sigil == '#' || sigil == '^') open_lists.push_back(tag);
    }
  }

  JsonReader r_;
  std::vector<std::pair<std::string, std::string>> texts_;         // (path, text)
  std::vector<std::pair<std::string, std::string>> conditions_;    // (path, field)
  std::vector<std::pair<std::string, std::string>> table_fields_;  // (path, field)
};

}  // namespace

std::optional<Form> parseForm(const std::string& text, const std::string& file,
                              std::vector<Problem>* problems) {
  ObjectPtr root = jurisdiction::parseJsonObject(text, file, problems);
  if (!root) return std::nullopt;
  Parser p(file, problems);
  return p.form(root, file);
}

namespace {
// Lower case letters and digits, every other run of characters one space.
std::string plainKey(const std::string& s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      out.push_back(static_cast<char>(u < 0x80 ? std::tolower(u) : u));
    } else if (!out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}
}  // namespace

bool EthicsCode::ownFor(const std::string& license, const std::vector<std::string>& chain) const {
  if (std::find(license_types.begin(), license_types.end(), license) == license_types.end()) {
    return false;
  }
  if (jurisdictions.empty()) return true;
  for (const auto& j : chain) {
    if (std::find(jurisdictions.begin(), jurisdictions.end(), j) != jurisdictions.end()) {
      return true;
    }
  }
  return false;
}

std::optional<HarmTaxonomy> parseHarmTaxonomy(const std::string& text, const std::string& file,
                                              std::vector<Problem>* problems) {
  ObjectPtr root = jurisdiction::parseJsonObject(text, file, problems);
  if (!root) return std::nullopt;
  size_t before = problems->size();
  JsonReader r(file, problems);
  r.checkKeys(root, "$", {"codes", "harms", "note"});
  HarmTaxonomy t;
  std::set<std::string> code_ids;
  if (ArrayPtr codes = r.array(root, "$", "codes", true)) {
    for (size_t i = 0; i < codes->size(); ++i) {
      std::string p = JsonReader::index("$.codes", i);
      ObjectPtr o = r.objectAt(codes, "$.codes", i);
      if (!o) continue;
      r.checkKeys(o, p, {"id", "name", "edition", "url", "license_types", "jurisdictions", "note"});
      EthicsCode c{r.string(o, p, "id", true),
                   r.string(o, p, "name", true),
                   r.string(o, p, "edition", true),
                   r.string(o, p, "url", true),
                   r.stringArray(o, p, "license_types", false),
                   r.stringArray(o, p, "jurisdictions", false)};
      if (!c.id.empty() && !code_ids.insert(c.id).second) {
        r.problem(p + ".id", "\"" + c.id + "\" is used twice");
      }
      t.codes.push_back(std::move(c));
    }
  }
  std::set<std::string> harm_ids;
  if (ArrayPtr harms = r.array(root, "$", "harms", true)) {
    for (size_t i = 0; i < harms->size(); ++i) {
      std::string p = JsonReader::index("$.harms", i);
      ObjectPtr o = r.objectAt(harms, "$.harms", i);
      if (!o) continue;
      r.checkKeys(o, p, {"id", "label", "description", "examples", "words", "ethics", "note"});
      HarmKind h;
      h.id = r.string(o, p, "id", true);
      if (!h.id.empty() && !std::regex_match(h.id, kIdPattern)) {
        r.problem(p + ".id", "must be lowercase letters, digits and _");
      }
      if (!h.id.empty() && !harm_ids.insert(h.id).second) {
        r.problem(p + ".id", "\"" + h.id + "\" is used twice");
      }
      h.label = r.string(o, p, "label", true);
      h.description = r.string(o, p, "description", true);
      h.examples = r.stringArray(o, p, "examples", false);
      h.words = r.stringArray(o, p, "words", false);
      if (ArrayPtr ethics = r.array(o, p, "ethics", false)) {
        for (size_t k = 0; k < ethics->size(); ++k) {
          std::string ep = JsonReader::index(p + ".ethics", k);
          ObjectPtr eo = r.objectAt(ethics, p + ".ethics", k);
          if (!eo) continue;
          r.checkKeys(eo, ep,
                      {"code", "section", "title", "plain", "verified", "read_at", "last_verified",
                       "note"});
          EthicsCitation e;
          e.code = r.string(eo, ep, "code", true);
          if (!e.code.empty() && !code_ids.count(e.code)) {
            r.problem(ep + ".code", "\"" + e.code + "\" is not one of the codes listed");
          }
          e.section = r.string(eo, ep, "section", true);
          e.title = r.string(eo, ep, "title", false);
          e.plain = r.string(eo, ep, "plain", false);
          e.verified = r.boolean(eo, ep, "verified", true).value_or(false);
          e.read_at = r.string(eo, ep, "read_at", e.verified);
          r.date(eo, ep, "last_verified", e.verified);
          e.note = r.string(eo, ep, "note", !e.verified);
          h.ethics.push_back(std::move(e));
        }
      }
      t.harms.push_back(std::move(h));
    }
  }
  // Each way of naming a kind (id, label, words) names that kind only.
  std::map<std::string, std::string> named;  // plain key -> kind id
  for (size_t i = 0; i < t.harms.size(); ++i) {
    const HarmKind& h = t.harms[i];
    std::vector<std::string> names = {h.id, h.label};
    names.insert(names.end(), h.words.begin(), h.words.end());
    for (const auto& n : names) {
      auto [it, fresh] = named.emplace(plainKey(n), h.id);
      if (!fresh && it->second != h.id) {
        r.problem(JsonReader::index("$.harms", i) + ".words",
                  "\"" + n.substr(0, 40) + "\" already names " + it->second);
      }
    }
  }
  if (problems->size() != before) return std::nullopt;
  return t;
}

const HarmKind* HarmTaxonomy::find(const std::string& id) const {
  for (const auto& h : harms) {
    if (h.id == id) return &h;
  }
  return nullptr;
}

const HarmKind* HarmTaxonomy::resolve(const std::string& text) const {
  const std::string key = plainKey(text);
  if (key.empty()) return nullptr;
  for (const auto& h : harms) {
    if (key == plainKey(h.id) || key == plainKey(h.label)) return &h;
    for (const auto& w : h.words) {
      if (key == plainKey(w)) return &h;
    }
  }
  return nullptr;
}

const EthicsCode* HarmTaxonomy::code(const std::string& id) const {
  for (const auto& c : codes) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const Form* FormSet::find(const std::string& id) const {
  for (const auto& f : forms) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

FormSet loadFormDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  FormSet set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    set.problems.push_back({dir, "$", "is not a directory of form files"});
    return set;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    const std::string shown = "forms/" + p.filename().string();
    auto text =
        jurisdiction::readTextFile(p.string(), shown, &set.problems, size_t{4} * 1024 * 1024);
    if (!text) continue;
    if (p.filename() == kHarmTaxonomyFile) {
      set.taxonomy = parseHarmTaxonomy(*text, shown, &set.problems);
      continue;
    }
    if (auto f = parseForm(*text, shown, &set.problems)) set.forms.push_back(std::move(*f));
  }
  if (!set.taxonomy) {
    set.problems.push_back({"forms/" + std::string(kHarmTaxonomyFile), "$",
                            "the harm taxonomy is missing or invalid"});
  }
  return set;
}

}  // namespace recourse::forms
