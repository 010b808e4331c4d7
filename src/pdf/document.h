// Documents from form definitions: the form's blocks, its answers and the case's facts
// rendered through the layout engine.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "forms/interview.h"
#include "forms/model.h"
#include "pdf/layout.h"

namespace recourse::pdf {

struct TimelineEntry {
  std::string date;  // as it should read: "2024-04-02", "around 2024-04", "spring 2024"
  std::string summary;
  std::string channel;
  std::string narrative;
  std::string harm_labels;
  std::string impact;     // how it affected the person
  std::string witnesses;  // who saw it or knows about it, with their contact details
  std::string exhibits;   // "Exhibit 2, Exhibit 5": the evidence that shows it
};

// One thing that happened after the incidents: a records request's step or the complaint's.
struct HistoryEntry {
  std::string date;   // as it should read
  std::string what;   // plain words: "The board asked for more information (reply by ...)"
  std::string notes;  // the person's own notes on it, as written
};

struct ExhibitEntry {
  std::string number;
  std::string description;
  std::string date;
  std::string sha256;
};

struct HarmEntry {
  std::string label;
  std::string description;
  std::string ethics;  // "APA 10.10 Terminating Therapy; NASW 1.17 ..."
};

// Everything a form's placeholders and furniture may draw on besides the answers.
struct DocumentContext {
  std::map<std::string, std::string> values;  // "client.name", "law.citation", "due_date", ...
  std::vector<TimelineEntry> incidents;
  std::vector<HistoryEntry> history;  // records requests and the complaint, in date order
  std::vector<ExhibitEntry> exhibits;
  std::vector<HarmEntry> harms;
  std::vector<std::string> sender;     // letterhead: name, then address lines
  std::vector<std::string> recipient;  // letterhead: name, then address lines
  std::string date_line;               // "23 November 2026"
  // Days in answers (a date of birth, a range of records) are written like the date line:
  // "June 15, 1985" when true, "15 June 1985" when false.
  bool us_dates = true;
  PageSize page_size = PageSize::kLetter;
  std::string language = "en";
};

struct RenderedDocument {
  std::vector<std::uint8_t> pdf;
  int pages = 0;
  std::vector<char32_t> fallbacks;  // characters written as [U+XXXX]
  FontMode font_mode = FontMode::kBuiltin;
  std::string code_page;  // for FontMode::kCodePage
};

struct RenderOptions {
  // "Page X of Y" at the foot of every page (off when a packet numbers all its parts).
  bool page_numbers = true;
};

// Fonts and coverage, loaded once and shared by every document a process renders.
//
// Besides the full font, the kit holds a subset of it (HarfBuzz hb-subset) covering Latin
// with all its extensions (Vietnamese included), combining marks, punctuation and currency:
// a fixed set that never depends on anyone's data. libharu's per-document cost grows with
// the font it embeds, so documents whose characters all fall in the subset use it (several
// times faster); any other document uses the full font.
struct FontKit {
  FontFiles files;                           // the full family
  std::shared_ptr<const Coverage> coverage;  // of the full regular font
  std::string subset_path;                   // the subset of the regular font ("" if none)
  std::shared_ptr<const Coverage> subset_coverage;
  std::shared_ptr<void> subset_owner;  // removes the subset files when the last copy goes
  // A smaller subset per single-byte code page: exactly that page's characters.
  struct PageFont {
    std::string path;
    std::shared_ptr<const Coverage> coverage;
  };
  std::map<std::string, PageFont> code_page_fonts;
  static core::StatusOr<FontKit> load(const std::string& override_dir = "");
};

// Renders `form` with `answers`. REQUIRES: forms::checkAnswers(form, answers) is empty
// (the caller reports problems by field first). The font is chosen from all the text (see
// chooseFont); every document embeds it.
core::StatusOr<RenderedDocument> renderForm(const forms::Form& form, const forms::Answers& answers,
                                            const DocumentContext& context, const FontKit& fonts,
                                            const DocInfo& info, const RenderOptions& options = {});

// The layout options for a document showing `all` (every string it shows): always the
// embedded family (e-filing portals and archives require embedded fonts) — with a
// single-byte code page when one fits (Windows-1252 first), using that page's small subset;
// else as a Unicode CID font, using the Latin subset when it covers the text.
LayoutOptions chooseFont(const std::string& all, const FontKit& fonts, PageSize page_size);

// An exhibit's cover sheet (number, description, date, the incidents it shows, original
// file name, SHA-256; a board has no use for the file's type, size or storage time, so they
// are not printed) and, for an image, the image on the page after it, scaled to fit; for a
// text file (an email saved as .txt), its text from the page after it. Every page carries
// the exhibit number at its top.
struct ExhibitSheet {
  std::string number;
  std::string description;
  std::string date;
  std::string incidents;  // what it shows: "2024-04-02: Ended therapy by text"
  std::string original_name;
  std::string sha256;
  std::string note;  // what follows, in plain words
  std::vector<std::uint8_t> image;
  std::optional<ImageType> image_type;  // set for an image exhibit
  std::optional<std::string> text;      // set for a text exhibit: its text (UTF-8)
  PageSize page_size = PageSize::kLetter;
};
core::StatusOr<RenderedDocument> renderExhibit(const ExhibitSheet& sheet, const FontKit& fonts,
                                               const DocInfo& info,
                                               const RenderOptions& options = {});

// OK when `bytes` are a PNG or JPEG image libharu can place; InvalidArgument otherwise.
core::Status checkImage(const std::vector<std::uint8_t>& bytes, ImageType type);

// A month-name date for letters: "November 23, 2026" (US style when `us_style`), else
// "23 November 2026".
std::string longDate(const core::Date& d, bool us_style);

}  // namespace recourse::pdf
