// Writing a rewritten config.json by reusing the original text of every value
// the rules left alone, so a rewrite costs what it changed, not what the
// config holds, and untouched bytes (key order, spacing, escapes) stay as they
// were.
#pragma once

#include <json/value.h>

#include <string>
#include <string_view>

namespace oci {

/// The JSON text of spec, where spec was parsed from source and then edited.
/// A value whose source bytes (jsoncpp's offsets) are proven to decode to
/// exactly that value, with the same type, is copied from source; everything
/// else is written as SerializeSpec writes it. Parsing the result always
/// gives back spec. (Strings with surrogate-pair escapes are written anew.)
std::string SpliceSpec(std::string_view source, const Json::Value& spec);

}  // namespace oci
