//! A small indenting XML writer: elements, attributes and escaped text, nothing else.

/// The namespaces of an eForms notice, on its root element.
const NAMESPACES: [(&str, &str); 7] = [
    ("xmlns:cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"),
    ("xmlns:cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"),
    ("xmlns:ext", "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"),
    ("xmlns:efac", "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"),
    ("xmlns:efbc", "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1"),
    ("xmlns:efext", "http://data.europa.eu/p27/eforms-ubl-extensions/1"),
    ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
];

/// The notice's language, on every text and as the tender language.
pub(super) const LANGUAGE: &str = "FRA";

pub(super) struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    /// A document whose root is `root` (`ContractNotice`…) in the UBL maindoc namespace.
    pub(super) fn new(root: &str) -> Self {
        let mut xml = Xml { out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), depth: 0 };
        let default_ns = format!("urn:oasis:names:specification:ubl:schema:xsd:{root}-2");
        let mut attrs = vec![("xmlns", default_ns.as_str())];
        attrs.extend(NAMESPACES);
        xml.open_with(root, &attrs);
        xml
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.extend(std::iter::repeat_n('\t', self.depth));
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
        self.out.push('>');
    }

    pub(super) fn open(&mut self, name: &str) {
        self.open_with(name, &[]);
    }

    pub(super) fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push('\n');
        self.depth += 1;
    }

    pub(super) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.out.extend(std::iter::repeat_n('\t', self.depth));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    pub(super) fn leaf_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start_tag(name, attrs);
        escape_into(&mut self.out, text, false);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    pub(super) fn leaf(&mut self, name: &str, text: &str) {
        self.leaf_with(name, &[], text);
    }

    /// A text in the notice's language.
    pub(super) fn text(&mut self, name: &str, text: &str) {
        self.leaf_with(name, &[("languageID", LANGUAGE)], text);
    }

    /// A code with its list.
    pub(super) fn code(&mut self, name: &str, list: &str, code: &str) {
        self.leaf_with(name, &[("listName", list)], code);
    }

    /// An amount in euros (already formatted).
    pub(super) fn euros(&mut self, name: &str, amount: &str) {
        self.leaf_with(name, &[("currencyID", "EUR")], amount);
    }

    /// A `cbc:ID` with its scheme.
    pub(super) fn id(&mut self, scheme: &str, id: &str) {
        self.leaf_with("cbc:ID", &[("schemeName", scheme)], id);
    }

    /// `<wrapper><cac:PartyIdentification><cbc:ID schemeName="organization">…`.
    pub(super) fn party_ref(&mut self, wrapper: &str, org: &str) {
        self.open(wrapper);
        self.open("cac:PartyIdentification");
        self.id("organization", org);
        self.close("cac:PartyIdentification");
        self.close(wrapper);
    }

    pub(super) fn finish(mut self, root: &str) -> String {
        self.close(root);
        self.out
    }
}

/// Escapes `&`, `<`, `>` (and in attributes `"`, tab and line breaks, which attribute-value
/// normalisation would otherwise turn into spaces); a carriage return is kept as `&#13;`.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut xml = Xml::new("ContractNotice");
        xml.leaf_with("cbc:Name", &[("a", "x\"<&>\n")], "R&D <b> \"q\"\r\n");
        let out = xml.finish("ContractNotice");
        assert!(
            out.contains("<cbc:Name a=\"x&quot;&lt;&amp;&gt;&#10;\">R&amp;D &lt;b&gt; \"q\"&#13;\n</cbc:Name>"),
            "{out}"
        );
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ContractNotice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2\""));
        assert!(out.ends_with("</ContractNotice>\n"));
    }
}
