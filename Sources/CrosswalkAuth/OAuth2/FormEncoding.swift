/// `application/x-www-form-urlencoded` bodies and query strings, with RFC 3986 encoding
/// (spaces as `%20`), which every OAuth server accepts.
enum FormEncoding {
    static func encode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { NetSuiteTBASigner.percentEncode($0.name) + "=" + NetSuiteTBASigner.percentEncode($0.value) }
            .joined(separator: "&")
    }

    static func decode(_ text: Substring) -> [(name: String, value: String)] {
        NetSuiteTBASigner.formDecode(text)
    }
}
