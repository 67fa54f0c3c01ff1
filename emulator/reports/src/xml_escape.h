// Text made safe for an XML 1.0 document in UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace calloutemu::reports::detail {

enum class XmlContext {
  text,       // element content
  attribute,  // a value between double quotes
};

// Appends `raw` escaped for `context`. Markup characters become entities ('>'
// in text only where it would end "]]>"); in attributes, tab, newline and carriage return become
// character references so they survive attribute normalisation. What XML 1.0 cannot carry at all
// (control characters other than tab, newline and carriage return; U+FFFE and
// U+FFFF) and every byte that is not part of valid UTF-8 is replaced by U+FFFD.
void append_xml_escaped(std::string& out, std::string_view raw, XmlContext context);

std::string xml_escaped(std::string_view raw, XmlContext context);

}  // namespace calloutemu::reports::detail
