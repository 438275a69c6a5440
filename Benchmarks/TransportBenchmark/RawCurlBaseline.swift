import CCurl
import Foundation

/// The floor: one reused libcurl easy handle, `curl_easy_perform` in a loop on the calling
/// thread, with the same options the transport sets that matter on plain HTTP.
enum RawCurlBaseline {
    /// Runs ``run(url:count:)`` on a thread of its own, so it blocks no cooperative thread.
    static func runOnOwnThread(url: String, count: Int) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try run(url: url, count: count) }) }.start()
        }
    }

    static func run(url: String, count: Int) throws {
        _ = ccurl_global_init()
        guard let handle = curl_easy_init() else { throw BenchmarkError("curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        _ = ccurl_easy_setopt_string(handle, CURLOPT_URL, url)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        _ = ccurl_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { _, size, count, _ in size * count }
        for _ in 0..<count {
            let code = curl_easy_perform(handle)
            guard code == CURLE_OK else { throw BenchmarkError("curl_easy_perform: \(String(cString: curl_easy_strerror(code)))") }
        }
    }
}
