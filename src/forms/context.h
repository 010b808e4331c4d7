// The names a form's texts may use besides its own fields: facts about the case, the
// people, the law and the dates, filled in when a document is made. This is the one list:
// service::buildLetterContext, applyRequestState and applyPacket fill every name in it (a
// name whose fact is missing is left empty, so {{#name}}...{{/name}} drops the sentence),
// and tests/service/vocabulary_test.cc fails when one is never filled. A placeholder that
// is neither a field nor one of these is an error found by `recourse forms check`.
#pragma once

#include <map>
#include <set>
#include <string>

namespace recourse::forms {

// Top-level names ("client.name", "law.citation", "due_date", ...).
const std::set<std::string>& contextNames();
// Lists usable as sections ({{#incidents}}...{{/incidents}}) and the names valid inside.
const std::map<std::string, std::set<std::string>>& contextLists();

}  // namespace recourse::forms
