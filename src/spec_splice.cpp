#include "spec_splice.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

#include "json_text.h"
#include "spec.h"

namespace oci {

namespace {

struct Member {
  std::string_view key;
  const Json::Value* value;
  ptrdiff_t rank;  // where its text starts in the source; after all when none
  size_t index;    // key order, to break ties
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool AllSpace(std::string_view text) { return std::all_of(text.begin(), text.end(), IsSpace); }

// True when the bytes can stand between quotes as they are: what jsoncpp's
// writer would also leave unescaped.
bool PlainString(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

void AppendString(std::string_view text, std::string* out) {
  if (PlainString(text)) {
    out->push_back('"');
    out->append(text);
    out->push_back('"');
  } else {
    out->append(SerializeSpec(Json::Value(text.data(), text.data() + text.size())));
  }
}

// A value written anew: plain strings directly (the common case, env
// entries), everything else by jsoncpp's writer, as SerializeSpec.
void AppendLeaf(const Json::Value& value, std::string* out) {
  const char* begin = nullptr;
  const char* end = nullptr;
  if (value.isString() && value.getString(&begin, &end)) {
    AppendString(std::string_view(begin, static_cast<size_t>(end - begin)), out);
  } else {
    out->append(SerializeSpec(value));
  }
}

// Walks the source text alongside one array or object being written: it
// stays on while every item starts where the source's next item does, with
// only white space, separators and keys that decode to the same names in
// between.
class SourceCursor {
 public:
  SourceCursor(std::string_view source, std::string_view text, char open, char close)
      : source_(source), on_(text.size() >= 2 && text.front() == open && text.back() == close) {
    if (!on_) return;
    pos_ = static_cast<size_t>(text.data() - source.data()) + 1;
    close_ = pos_ + text.size() - 2;
    Skip();
  }

  void Separator(char c) {
    if (on_ && (pos_ >= close_ || source_[pos_] != c)) on_ = false;
    ++pos_;
    Skip();
  }

  // A member's key: its source text, quotes included, when the source has
  // that key here; empty otherwise.
  std::string_view Key(std::string_view key) {
    if (!on_) return {};
    size_t end = source_[pos_] == '"' ? JsonStringEnd(source_, pos_, close_)
                                      : std::string_view::npos;
    if (end == std::string_view::npos ||
        !JsonStringDecodesTo(source_.substr(pos_ + 1, end - pos_ - 1), key)) {
      on_ = false;
      return {};
    }
    std::string_view text = source_.substr(pos_, end + 1 - pos_);
    pos_ = end + 1;
    Skip();
    Separator(':');
    return text;
  }

  // Before writing value: does its text start here?
  void Reach(std::string_view value_text) {
    if (on_ && (value_text.empty() || value_text.data() != source_.data() + pos_)) on_ = false;
  }

  // After writing value: was it its source text, and what follows?
  void Pass(std::string_view value_text, bool clean) {
    if (!on_) return;
    pos_ += value_text.size();
    if (!clean || pos_ > close_) {
      on_ = false;
      return;
    }
    Skip();
  }

  bool AtClose() const { return on_ && pos_ == close_; }

 private:
  void Skip() {
    if (!on_) return;
    while (pos_ < close_ && IsSpace(source_[pos_])) ++pos_;
  }

  std::string_view source_;
  bool on_;
  size_t pos_ = 0;
  size_t close_ = 0;
};

// Copies nothing it has not checked: a value is reused only when its source
// bytes decode to exactly that value, so a value edited in place, moved, or
// carrying offsets into another text is written anew. One pass: a container
// is written item by item, and replaced by its source text when every item
// turned out clean.
class Splicer {
 public:
  explicit Splicer(std::string_view source) : source_(source) {}

  // The source text of value, or empty when it has none.
  std::string_view Source(const Json::Value& value) const {
    ptrdiff_t start = value.getOffsetStart();
    ptrdiff_t limit = value.getOffsetLimit();
    if (start < 0 || limit <= start || static_cast<size_t>(limit) > source_.size()) return {};
    return source_.substr(static_cast<size_t>(start), static_cast<size_t>(limit - start));
  }

  // Appends value; true when what it appended is value's own source text.
  bool Emit(const Json::Value& value, std::string* out, size_t depth = 0) {
    std::string_view text = Source(value);
    if (value.isArray()) return EmitArray(value, text, out, depth);
    if (value.isObject()) return EmitObject(value, text, out, depth);
    if (!text.empty() && CleanLeaf(value, text)) {
      out->append(text);
      return true;
    }
    AppendLeaf(value, out);
    return false;
  }

 private:
  bool EmitArray(const Json::Value& array, std::string_view text, std::string* out,
                 size_t depth) {
    size_t mark = out->size();
    SourceCursor cursor(source_, text, '[', ']');
    out->push_back('[');
    bool first = true;
    for (const Json::Value& item : array) {
      if (!first) {
        out->push_back(',');
        cursor.Separator(',');
      }
      first = false;
      std::string_view item_text = Source(item);
      cursor.Reach(item_text);
      cursor.Pass(item_text, Emit(item, out, depth + 1));
    }
    out->push_back(']');
    return Reuse(cursor, text, mark, out);
  }

  bool EmitObject(const Json::Value& object, std::string_view text, std::string* out,
                  size_t depth) {
    size_t mark = out->size();
    SourceCursor cursor(source_, text, '{', '}');
    out->push_back('{');
    bool first = true;
    for (const Member& member : Members(object, depth)) {
      if (!first) {
        out->push_back(',');
        cursor.Separator(',');
      }
      first = false;
      std::string_view key_text = cursor.Key(member.key);  // keeps its escapes
      if (key_text.empty()) {
        AppendString(member.key, out);
      } else {
        out->append(key_text);
      }
      out->push_back(':');
      std::string_view value_text = Source(*member.value);
      cursor.Reach(value_text);
      cursor.Pass(value_text, Emit(*member.value, out, depth + 1));
    }
    out->push_back('}');
    return Reuse(cursor, text, mark, out);
  }

  // A container whose source text decodes to what was just written takes
  // that text instead, spacing and escapes included.
  static bool Reuse(const SourceCursor& cursor, std::string_view text, size_t mark,
                    std::string* out) {
    if (!cursor.AtClose()) return false;
    out->resize(mark);
    out->append(text);
    return true;
  }

  static bool CleanLeaf(const Json::Value& value, std::string_view text) {
    switch (value.type()) {
      case Json::nullValue:
        return text == "null";
      case Json::booleanValue:
        return text == (value.asBool() ? "true" : "false");
      case Json::intValue:
      case Json::uintValue:
      case Json::realValue:
        return JsonNumberReadsAs(text, value);
      case Json::stringValue: {
        const char* begin = nullptr;
        const char* end = nullptr;
        value.getString(&begin, &end);
        return text.size() >= 2 && text.front() == '"' && text.back() == '"' &&
               JsonStringDecodesTo(text.substr(1, text.size() - 2),
                         std::string_view(begin, static_cast<size_t>(end - begin)));
      }
      default:
        return false;
    }
  }

  // The members in source order, then those without source text in key
  // order, so a rewrite keeps the original's key order. The list lives in a
  // per-depth buffer, reused across the objects of that depth.
  const std::vector<Member>& Members(const Json::Value& object, size_t depth) {
    while (members_.size() <= depth) members_.emplace_back();
    std::vector<Member>& members = members_[depth];
    members.clear();
    bool in_order = true;
    for (auto it = object.begin(); it != object.end(); ++it) {
      const char* end = nullptr;
      const char* begin = it.memberName(&end);
      Member member{std::string_view(begin, static_cast<size_t>(end - begin)), &*it,
                    Rank(*it), members.size()};
      in_order = in_order && (members.empty() || members.back().rank <= member.rank);
      members.push_back(member);
    }
    if (!in_order) {
      std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.index < b.index;
      });
    }
    return members;
  }

  ptrdiff_t Rank(const Json::Value& value) const {
    return Source(value).empty() ? PTRDIFF_MAX : value.getOffsetStart();
  }

  std::string_view source_;
  std::deque<std::vector<Member>> members_;  // deque: growing keeps references valid
};

}  // namespace

std::string SpliceSpec(std::string_view source, const Json::Value& spec) {
  Splicer splicer(source);
  std::string out;
  out.reserve(source.size() + 256);
  // White space around the document (a final newline) stays when spec is
  // still the root parsed from source.
  std::string_view text = splicer.Source(spec);
  std::string_view before, after;
  if (!text.empty()) {
    before = source.substr(0, static_cast<size_t>(text.data() - source.data()));
    after = source.substr(before.size() + text.size());
    if (!AllSpace(before) || !AllSpace(after)) before = after = {};
  }
  out.append(before);
  splicer.Emit(spec, &out);
  out.append(after);
  return out;
}

}  // namespace oci
