#include "pdf/document.h"

#include <Poco/JSON/Array.h>

#include <filesystem>
#include <kainjow/mustache.hpp>
#include <sstream>

namespace recourse::pdf {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;
using Poco::Dynamic::Var;

// Sets "a.b.c" = value inside nested mustache data.
void setDotted(data* root, const std::string& dotted, const data& value) {
  size_t dot = dotted.find('.');
  if (dot == std::string::npos) {
    root->set(dotted, value);
    return;
  }
  std::string head = dotted.substr(0, dot);
  const data* existing = root->get(head);
  data child = existing != nullptr && existing->is_object() ? *existing : data(data::type::object);
  setDotted(&child, dotted.substr(dot + 1), value);
  root->set(head, child);
}

std::string partText(const Poco::JSON::Object::Ptr& obj, const std::string& key) {
  if (!obj || !obj->has(key) || !obj->get(key).isString()) return {};
  return obj->get(key).extract<std::string>();
}

// A day as the rest of the document writes days ("June 15, 1985"); anything that is not
// an exact YYYY-MM-DD day (an approximate "spring 2023") is kept as written.
std::string dayText(const std::string& text, bool us_dates);

// The answer as a reader sees it in a field table.
std::string display(const forms::Field& f, const Var& v, bool us_dates) {
  if (v.isEmpty()) return {};
  switch (f.type) {
    case forms::FieldType::kDate:
      return v.isString() ? dayText(v.extract<std::string>(), us_dates) : "";
    case forms::FieldType::kYesNo:
      return v.isBoolean() ? (v.extract<bool>() ? "Yes" : "No") : "";
    case forms::FieldType::kChoice:
      for (const auto& o : f.options) {
        if (v.isString() && o.value == v.extract<std::string>()) return o.label.get("en");
      }
      return v.isString() ? v.extract<std::string>() : "";
    case forms::FieldType::kMultiChoice: {
      if (v.type() != typeid(Poco::JSON::Array::Ptr)) return {};
      auto arr = v.extract<Poco::JSON::Array::Ptr>();
      std::string out;
      for (size_t i = 0; i < arr->size(); ++i) {
        std::string val = arr->getElement<std::string>(static_cast<unsigned>(i));
        for (const auto& o : f.options) {
          if (o.value == val) val = o.label.get("en");
        }
        out += (out.empty() ? "" : "; ") + val;
      }
      return out;
    }
    case forms::FieldType::kPerson:
    case forms::FieldType::kAddress:
    case forms::FieldType::kDateRange:
    case forms::FieldType::kApproximateDate: {
      if (v.isString()) return v.extract<std::string>();
      if (v.type() != typeid(Poco::JSON::Object::Ptr)) return {};
      const auto& obj = v.extract<Poco::JSON::Object::Ptr>();
      std::string out;
      const std::string sep = f.type == forms::FieldType::kDateRange ? " to " : ", ";
      for (const auto& part : forms::fieldParts(f.type)) {
        std::string t = partText(obj, part);
        if (f.type == forms::FieldType::kDateRange) t = dayText(t, us_dates);
        if (!t.empty()) out += (out.empty() ? "" : sep) + t;
      }
      return out;
    }
    default:
      return v.isString() ? v.extract<std::string>() : v.toString();
  }
}

class Renderer {
 public:
  Renderer(const forms::Form& form, const forms::Answers& answers, const DocumentContext& ctx)
      : form_(form), answers_(answers), ctx_(ctx) {
    buildData();
  }

  std::string text(const forms::LocalText& t) {
    if (t.empty()) return {};
    mustache tmpl{t.get(ctx_.language)};
    // PDF text is not HTML: "Zoë <b>" must print as written.
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    return tmpl.render(data_);
  }

  bool shown(const forms::Block& b) const {
    return !b.show_if || forms::conditionHolds(*b.show_if, answers_);
  }

  std::vector<std::pair<std::string, std::string>> fieldRows(const forms::Block& b) const {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& id : b.fields) {
      const forms::Field* f = form_.findField(id);
      if (f == nullptr || !forms::fieldVisible(form_, *f, answers_)) continue;
      Var v = answers_->has(id) ? answers_->get(id) : Var();
      std::string label = f->document_label.get(ctx_.language);
      if (label.empty()) label = f->label.get(ctx_.language);
      // Interview wording such as "(optional)" does not belong in the document.
      for (const std::string suffix : {" (optional)", " (optional)?"}) {
        size_t at = label.rfind(suffix);
        if (at != std::string::npos && at + suffix.size() == label.size()) label.erase(at);
      }
      rows.emplace_back(label, display(*f, v, ctx_.us_dates));
    }
    return rows;
  }

 private:
  void buildData() {
    data_ = data(data::type::object);
    for (const auto& [k, v] : ctx_.values) {
      if (!v.empty()) setDotted(&data_, k, data(v));
    }
    auto list = [](const auto& entries, auto fill) {
      data l(data::type::list);
      for (const auto& e : entries) {
        data item(data::type::object);
        fill(e, &item);
        l.push_back(item);
      }
      return l;
    };
    if (!ctx_.incidents.empty()) {
      data_.set("incidents", list(ctx_.incidents, [](const TimelineEntry& e, data* d) {
                  d->set("date", e.date);
                  d->set("summary", e.summary);
                  d->set("channel", e.channel);
                  d->set("narrative", e.narrative);
                  d->set("harm_labels", e.harm_labels);
                }));
    }
    if (!ctx_.exhibits.empty()) {
      data_.set("exhibits", list(ctx_.exhibits, [](const ExhibitEntry& e, data* d) {
                  d->set("number", e.number);
                  d->set("description", e.description);
                  d->set("date", e.date);
                  d->set("sha256", e.sha256);
                }));
    }
    if (!ctx_.harms.empty()) {
      data_.set("harms", list(ctx_.harms, [](const HarmEntry& e, data* d) {
                  d->set("label", e.label);
                  d->set("description", e.description);
                  d->set("ethics", e.ethics);
                }));
    }
    // Answers: only those of fields shown for these answers.
    for (const auto& step : form_.steps) {
      for (const auto& f : step.fields) {
        if (!answers_->has(f.id) || !forms::fieldVisible(form_, f, answers_)) continue;
        Var v = answers_->get(f.id);
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
          const auto& obj = v.extract<Poco::JSON::Object::Ptr>();
          data d(data::type::object);
          for (const auto& part : forms::fieldParts(f.type)) {
            std::string t = partText(obj, part);
            if (f.type == forms::FieldType::kDateRange) t = dayText(t, ctx_.us_dates);
            if (!t.empty()) d.set(part, t);
          }
          data_.set(f.id, d);
        } else {
          std::string shown = display(f, v, ctx_.us_dates);
          if (f.type == forms::FieldType::kYesNo) {
            if (v.isBoolean() && v.extract<bool>()) data_.set(f.id, data(true));
          } else if (f.type == forms::FieldType::kChoice && v.isString()) {
            data_.set(f.id, v.extract<std::string>());
          } else if (!shown.empty()) {
            data_.set(f.id, shown);
          }
        }
      }
    }
  }

  const forms::Form& form_;
  const forms::Answers& answers_;
  const DocumentContext& ctx_;
  data data_;
};

}  // namespace

core::StatusOr<FontKit> FontKit::load(const std::string& override_dir) {
  auto files = findUnicodeFonts(override_dir);
  if (!files.isOk()) return files.status();
  auto cov = Coverage::load(files->regular);
  if (!cov.isOk()) return cov.status();
  FontKit kit;
  kit.files = *files;
  kit.coverage = *cov;
  // The subset lives in a private temporary directory for the life of the process. It
  // holds only font data for a fixed repertoire, nothing about anyone.
  std::string tmpl = (std::filesystem::temp_directory_path() / "recourse-font-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return kit;  // the full font still works
  std::string dir = tmpl;
  std::string path = dir + "/subset.ttf";
  kit.subset_owner = std::shared_ptr<void>(nullptr, [dir](void*) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  });
  if (!writeSubsetFont(files->regular, subsetRanges(), path).isOk()) return kit;
  auto sub = Coverage::load(path);
  if (!sub.isOk()) return kit;
  kit.subset_path = path;
  kit.subset_coverage = *sub;
  for (const auto& page : singleByteCodePages()) {
    std::vector<std::pair<char32_t, char32_t>> ranges;
    for (char32_t cp : codePageCharacters(page)) ranges.emplace_back(cp, cp);
    if (ranges.empty()) continue;
    ranges.emplace_back(0x2022, 0x2022);  // the list bullet
    std::string page_path = dir;
    page_path.append("/").append(page).append(".ttf");
    if (!writeSubsetFont(files->regular, ranges, page_path).isOk()) continue;
    auto page_cov = Coverage::load(page_path);
    if (page_cov.isOk()) kit.code_page_fonts[page] = FontKit::PageFont{page_path, *page_cov};
  }
  return kit;
}

std::string longDate(const core::Date& d, bool us_style) {
  static const char* kMonths[] = {"January",   "February", "March",    "April",
                                  "May",       "June",     "July",     "August",
                                  "September", "October",  "November", "December"};
  std::string month = kMonths[(d.month() - 1) % 12];
  return us_style ? month + " " + std::to_string(d.day()) + ", " + std::to_string(d.year())
                  : std::to_string(d.day()) + " " + month + " " + std::to_string(d.year());
}

namespace {

std::string dayText(const std::string& text, bool us_dates) {
  if (text.size() != 10) return text;
  auto day = core::Date::parse(text, "date");
  return day.isOk() ? longDate(*day, us_dates) : text;
}

core::StatusOr<RenderedDocument> finishDocument(Layout& l, const LayoutOptions& opt) {
  auto pdf = l.finish();
  if (!pdf.isOk()) return pdf.status();
  RenderedDocument out;
  out.pdf = std::move(pdf).value();
  out.pages = l.pageCount();
  out.fallbacks = l.fallbacks();
  out.font_mode = opt.font_mode;
  out.code_page = opt.code_page;
  return out;
}
}  // namespace

LayoutOptions chooseFont(const std::string& all, const FontKit& fonts, PageSize page_size) {
  LayoutOptions opt;
  opt.page_size = page_size;
  opt.fonts = fonts.files;
  opt.coverage = fonts.coverage;
  bool in_subset = fonts.subset_coverage != nullptr;
  for (char32_t cp : decodeUtf8(all)) {
    if (in_subset && cp >= 0x20 && !fonts.subset_coverage->has(cp)) in_subset = false;
  }
  if (in_subset) {
    opt.fonts.regular = fonts.subset_path;
    opt.coverage = fonts.subset_coverage;
  }
  opt.font_mode = FontMode::kUnicode;
  for (const auto& page : singleByteCodePages()) {
    if (toCodePage(all, page)) {
      opt.font_mode = FontMode::kCodePage;
      opt.code_page = page;
      auto small = fonts.code_page_fonts.find(page);
      if (small != fonts.code_page_fonts.end()) {
        opt.fonts.regular = small->second.path;
        opt.coverage = small->second.coverage;
      }
      break;
    }
  }
  return opt;
}

namespace {

// The type size of a block: 14 points where the form asks for large type (an authorization in
// California must be at least that, Civ. Code 56.11(b)(1)); 0, the body size, otherwise.
float sizeOf(const forms::Block& b) { return b.large ? 14.0F : 0.0F; }

// A SHA-256 fingerprint in groups of 16, so that a line break falls between groups and a
// reader can compare it group by group.
std::string groupedFingerprint(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 16) out += (i == 0 ? "" : " ") + hex.substr(i, 16);
  return out;
}

}  // namespace

core::StatusOr<RenderedDocument> renderExhibit(const ExhibitSheet& sheet, const FontKit& fonts,
                                               const DocInfo& info, const RenderOptions& options) {
  const std::string title = "Exhibit " + sheet.number;
  // What a reader needs to know what this is and to check it; nothing about how it is kept.
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Description", sheet.description},
      {"Date", sheet.date},
      {"What it shows", sheet.incidents},
      {"Original file", sheet.original_name},
      {"SHA-256", groupedFingerprint(sheet.sha256)}};
  std::string all = title + "\n" + sheet.note + "\n";
  for (const auto& [k, v] : rows) all.append(k).append("\n").append(v).append("\n");
  if (sheet.text) all += *sheet.text;
  LayoutOptions opt = chooseFont(all, fonts, sheet.page_size);
  opt.running_header = title;  // on every page: the exhibit number
  opt.page_numbers = options.page_numbers;
  auto layout = Layout::create(opt, info);
  if (!layout.isOk()) return layout.status();
  Layout& l = **layout;
  l.heading(title);
  l.keyValueTable(rows);
  if (!sheet.note.empty()) l.paragraph(sheet.note);
  if (sheet.image_type) {
    l.pageBreak();
    const float page_height = sheet.page_size == PageSize::kA4 ? 841.89F : 792.0F;
    RECOURSE_RETURN_IF_ERROR(
        l.image(sheet.image, *sheet.image_type, page_height - 2 * opt.margin - 24));
  }
  if (sheet.text) {
    l.pageBreak();
    l.paragraph(sheet.text->empty() ? "(The file is empty.)" : *sheet.text);
  }
  return finishDocument(l, opt);
}

core::Status checkImage(const std::vector<std::uint8_t>& bytes, ImageType type) {
  LayoutOptions opt;
  opt.font_mode = FontMode::kBuiltin;
  auto layout = Layout::create(opt, DocInfo{});
  if (!layout.isOk()) return layout.status();
  return (*layout)->image(bytes, type, 100);
}

core::StatusOr<RenderedDocument> renderForm(const forms::Form& form, const forms::Answers& answers,
                                            const DocumentContext& context, const FontKit& fonts,
                                            const DocInfo& info, const RenderOptions& options) {
  Renderer r(form, answers, context);
  // First pass: every string the document will show, to choose the font.
  struct Item {
    const forms::Block* block;
    std::string text;
    std::vector<std::string> items;
    std::vector<std::pair<std::string, std::string>> rows;
  };
  std::vector<Item> items;
  std::string all;  // every string the document shows, to choose the font
  auto note = [&](const std::string& s) {
    all += s;
    all.push_back('\n');
  };
  for (const auto& s : context.sender) note(s);
  for (const auto& s : context.recipient) note(s);
  note(context.date_line);
  note(info.title);
  for (const auto& b : form.blocks) {
    if (!r.shown(b)) continue;
    Item it{&b, r.text(b.text), {}, {}};
    note(it.text);
    for (const auto& li : b.items) {
      it.items.push_back(r.text(li));
      note(it.items.back());
    }
    if (b.type == forms::BlockType::kFieldTable) {
      it.rows = r.fieldRows(b);
      for (const auto& [k, v] : it.rows) {
        note(k);
        note(v);
      }
    }
    items.push_back(std::move(it));
  }
  for (const auto& e : context.incidents) {
    for (const auto* s : {&e.date, &e.summary, &e.channel, &e.narrative, &e.harm_labels, &e.impact,
                          &e.witnesses, &e.exhibits}) {
      note(*s);
    }
  }
  for (const auto& e : context.exhibits) {
    for (const auto* s : {&e.number, &e.description, &e.date}) note(*s);
  }
  for (const auto& e : context.history) {
    for (const auto* s : {&e.date, &e.what, &e.notes}) note(*s);
  }

  LayoutOptions opt = chooseFont(all, fonts, context.page_size);
  opt.running_header = info.title;
  opt.page_numbers = options.page_numbers;
  auto layout = Layout::create(opt, info);
  if (!layout.isOk()) return layout.status();
  Layout& l = **layout;

  std::string last_bookmark;
  for (size_t n = 0; n < items.size(); ++n) {
    const Item& it = items[n];
    const forms::Block& b = *it.block;
    switch (b.type) {
      case forms::BlockType::kLetterhead:
        l.letterhead(context.sender, context.recipient);
        break;
      case forms::BlockType::kDateLine:
        l.dateLine(context.date_line);
        break;
      case forms::BlockType::kHeading:
        if (it.text.empty()) break;  // a heading whose part has nothing to show this time
        // A heading, a short paragraph and the signature stay together.
        if (n + 2 < items.size() && items[n + 1].block->type == forms::BlockType::kParagraph &&
            items[n + 2].block->type == forms::BlockType::kSignature) {
          const float needed = 48 + l.paragraphHeight(items[n + 1].text) + l.signatureHeight();
          if (needed < 400) l.keepTogether(needed);
        }
        // A complaint is long and read by investigators: each part gets a bookmark.
        if (form.kind == "complaint" && !it.text.empty()) {
          l.bookmark(it.text);
          last_bookmark = it.text;
        }
        l.heading(it.text, 1);
        break;
      case forms::BlockType::kParagraph:
        if (it.text.empty()) break;
        // A signature is never alone on a page: a short paragraph before it goes with it.
        if (n + 1 < items.size() && items[n + 1].block->type == forms::BlockType::kSignature) {
          const float needed = l.paragraphHeight(it.text, sizeOf(b)) +
                               l.signatureHeight(sizeOf(*items[n + 1].block));
          if (needed < 400) l.keepTogether(needed);
        }
        l.paragraph(it.text, b.justify, sizeOf(b));
        break;
      case forms::BlockType::kList:
        l.bulletList(it.items);
        break;
      case forms::BlockType::kFieldTable:
        l.keyValueTable(it.rows);
        break;
      case forms::BlockType::kTimeline: {
        if (last_bookmark != "Timeline") l.bookmark("Timeline");
        if (context.incidents.empty()) {
          l.paragraph("No incidents have been recorded.");
          break;
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& e : context.incidents) {
          std::string what = e.summary;
          if (!e.narrative.empty()) what += "\n" + e.narrative;
          if (!e.impact.empty()) what += "\nImpact: " + e.impact;
          if (!e.witnesses.empty()) what += "\nWitnesses: " + e.witnesses;
          if (!e.harm_labels.empty()) what += "\n(" + e.harm_labels + ")";
          if (!e.exhibits.empty()) what += "\nSee " + e.exhibits + ".";
          rows.push_back({e.date, what, e.channel});
        }
        l.table({"When", "What happened", "How"}, rows, {0.2F, 0.62F, 0.18F});
        break;
      }
      case forms::BlockType::kHistory: {
        if (context.history.empty()) break;  // nothing to show: not even its heading
        if (last_bookmark != "Requests and complaint") l.bookmark("Requests and complaint");
        if (!it.text.empty()) l.heading(it.text, 1);
        std::vector<std::vector<std::string>> rows;
        for (const auto& e : context.history) {
          rows.push_back({e.date, e.notes.empty() ? e.what : e.what + "\n" + e.notes});
        }
        l.table({"When", "What happened"}, rows, {0.2F, 0.8F});
        break;
      }
      case forms::BlockType::kExhibitIndex: {
        if (context.exhibits.empty()) {
          if (last_bookmark == "Exhibit index") l.paragraph("No exhibits are attached.");
          break;
        }
        if (last_bookmark != "Exhibit index") l.bookmark("Exhibit index");
        std::vector<std::vector<std::string>> rows;
        for (const auto& e : context.exhibits) {
          rows.push_back({e.number, e.description, e.date, groupedFingerprint(e.sha256)});
        }
        l.table({"Exhibit", "Description", "Date", "SHA-256"}, rows, {0.12F, 0.30F, 0.14F, 0.44F});
        break;
      }
      case forms::BlockType::kSignature:
        // A short paragraph after a signature (a witness's lines) goes on its page.
        if (n + 1 < items.size() && items[n + 1].block->type == forms::BlockType::kParagraph &&
            !items[n + 1].text.empty()) {
          const float needed = l.signatureHeight(sizeOf(b)) +
                               l.paragraphHeight(items[n + 1].text, sizeOf(*items[n + 1].block));
          if (needed < 400) l.keepTogether(needed);
        }
        l.signature(it.text, "Date", sizeOf(b));
        break;
      case forms::BlockType::kPageBreak:
        l.pageBreak();
        break;
    }
  }
  return finishDocument(l, opt);
}

}  // namespace recourse::pdf
