#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <fstream>
#include <iterator>

#include "cli/command.h"
#include "forms/interview.h"
#include "forms/loader.h"

namespace recourse::cli {
namespace {

using forms::Form;
using forms::FormSet;

class FormsList final : public Command {
 public:
  std::string name() const override { return "forms list"; }
  std::string summary() const override {
    return "list the letters and complaints Recourse can make";
  }
  core::Status run(Context& ctx) override {
    const FormSet& set = ctx.catalog()->forms();
    if (!set.problems.empty()) {
      ctx.env().err << "recourse: note: " << set.problems.size()
                    << " problem(s) in the form files (see: recourse forms check)\n";
    }
    if (ctx.args().json) {
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& f : set.forms) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("id", f.id);
        o->set("kind", f.kind);
        o->set("title", f.title.get("en"));
        arr->add(o);
      }
      ctx.printJson(arr);
      return core::Status::ok();
    }
    for (const auto& f : set.forms) {
      ctx.out() << pad(f.id, 24) << pad(f.kind, 11) << f.title.get("en") << "\n";
    }
    return core::Status::ok();
  }
};

class FormsShow final : public Command {
 public:
  std::string name() const override { return "forms show"; }
  std::string summary() const override { return "the questions a form asks, step by step"; }
  std::string usage() const override { return "forms show ID"; }
  size_t maxPositionals() const override { return 1; }
  core::Status run(Context& ctx) override {
    if (ctx.args().positionals.empty()) {
      return core::invalidArgument("ID: name the form (see: recourse forms list)");
    }
    const FormSet& set = ctx.catalog()->forms();
    const Form* f = set.find(ctx.args().positionals[0]);
    if (f == nullptr) {
      return core::notFound("ID: no form \"" + ctx.args().positionals[0].substr(0, 40) +
                            "\" (see: recourse forms list)");
    }
    auto& out = ctx.out();
    out << f->title.get("en") << " (" << f->id << ")\n";
    if (!f->description.empty()) out << "  " << f->description.get("en") << "\n";
    int n = 1;
    for (const auto& s : f->steps) {
      out << "\nStep " << n++ << ": " << s.title.get("en") << "\n";
      if (!s.intro.empty()) out << "  " << s.intro.get("en") << "\n";
      for (const auto& fld : s.fields) {
        out << "  - " << fld.label.get("en") << "  [" << fld.id << ", "
            << forms::fieldTypeName(fld.type) << (fld.required ? ", needed" : ", optional")
            << (fld.show_if ? ", only when it applies" : "") << "]\n";
        for (const auto& o : fld.options)
          out << "      * " << o.value << ": " << o.label.get("en") << "\n";
      }
    }
    out << "\nThe document: " << f->document_title.get("en") << " (" << f->blocks.size()
        << " blocks)\n";
    return core::Status::ok();
  }
};

class FormsCheck final : public Command {
 public:
  std::string name() const override { return "forms check"; }
  std::string summary() const override {
    return "validate every form and the harm taxonomy; each problem as file:JSON-path: message";
  }
  core::Status run(Context& ctx) override {
    const FormSet& set = ctx.catalog()->forms();
    for (const auto& p : set.problems) ctx.out() << p.toString() << "\n";
    size_t fields = 0;
    for (const auto& f : set.forms) {
      for (const auto& s : f.steps) fields += s.fields.size();
    }
    ctx.out() << set.forms.size() << " form(s) loaded with " << fields
              << " questions; harm taxonomy: "
              << (set.taxonomy ? std::to_string(set.taxonomy->harms.size()) + " kinds" : "missing")
              << "; " << set.problems.size() << " problem(s).\n";
    if (!set.problems.empty()) {
      return core::failedPrecondition(std::to_string(set.problems.size()) +
                                      " problem(s) in the form files");
    }
    return core::Status::ok();
  }
};

class FormsValidate final : public Command {
 public:
  std::string name() const override { return "forms validate"; }
  std::string summary() const override {
    return "check a set of answers (JSON) against a form, as the server does";
  }
  std::string usage() const override { return "forms validate --form ID --answers FILE.json"; }
  std::vector<OptionSpec> options() const override {
    return {{"form", "ID", "the form"},
            {"answers", "FILE", "answers as a JSON object (- for stdin)"}};
  }
  core::Status run(Context& ctx) override {
    if (!ctx.args().has("form")) return core::invalidArgument("--form: is required");
    if (!ctx.args().has("answers")) return core::invalidArgument("--answers: is required");
    const FormSet& set = ctx.catalog()->forms();
    const Form* f = set.find(ctx.args().get("form"));
    if (f == nullptr) return core::notFound("--form: no form \"" + ctx.args().get("form") + "\"");
    auto answers = ctx.readJsonOption("answers");
    if (!answers.isOk()) return answers.status();
    auto problems = forms::checkAnswers(*f, *answers, ctx.env().clock.today());
    for (const auto& p : problems) ctx.out() << p.field << ": " << p.message << "\n";
    if (!problems.empty()) {
      return core::invalidArgument(std::to_string(problems.size()) +
                                   " answer(s) need attention (listed above)");
    }
    ctx.out() << "The answers are complete for " << f->id << ".\n";
    return core::Status::ok();
  }
};

}  // namespace

std::vector<std::unique_ptr<Command>> makeFormCommands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<FormsList>());
  v.push_back(std::make_unique<FormsShow>());
  v.push_back(std::make_unique<FormsCheck>());
  v.push_back(std::make_unique<FormsValidate>());
  return v;
}

}  // namespace recourse::cli
