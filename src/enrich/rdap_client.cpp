#include "enrich/rdap_client.h"

#include <curl/curl.h>

#include <mutex>
#include <set>

namespace kz::enrich {

namespace {

struct Body {
  std::string data;
  size_t cap;
  bool truncated = false;
};

size_t on_data(char* ptr, size_t size, size_t n, void* arg) {
  auto* b = static_cast<Body*>(arg);
  const size_t len = size * n;
  if (b->data.size() + len > b->cap) {
    b->truncated = true;
    return 0;  // abort the transfer
  }
  b->data.append(ptr, len);
  return len;
}

}  // namespace

RdapClient::RdapClient(RdapClientOptions options) : options_(std::move(options)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (!options_.base_url.empty() && options_.base_url.back() != '/') options_.base_url += '/';
}

RdapFetch RdapClient::fetch_ip(const Ip& ip) const {
  return get(options_.base_url + "ip/" + ip.to_string());
}

RdapFetch RdapClient::fetch_domain(const std::string& domain) const {
  return get(options_.base_url + "domain/" + domain);
}

RdapFetch RdapClient::get(const std::string& url) const {
  RdapFetch f;
  f.url = url;
  CURL* curl = curl_easy_init();
  if (!curl) {
    f.error = "libcurl could not start";
    return f;
  }
  Body body{{}, options_.max_bytes};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, options_.max_redirects);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "Kizuna RDAP client");
  struct curl_slist* headers =
      curl_slist_append(nullptr, "Accept: application/rdap+json, application/json");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (body.truncated) {
    f.error = "answer larger than " + std::to_string(options_.max_bytes) + " bytes";
  } else if (rc != CURLE_OK) {
    f.error = curl_easy_strerror(rc);
  } else if (status == 404) {
    f.error = "no data (404)";
  } else if (status != 200) {
    f.error = "HTTP status " + std::to_string(status);
  } else {
    f.found = true;
    f.body = std::move(body.data);
  }
  return f;
}

Result<size_t> fetch_missing_rdap(store::NetworkDataStore& store, const RdapClient& client,
                                  const std::vector<Ip>& addresses, Time now, size_t* failures,
                                  const std::vector<std::string>& domains) {
  auto cached = store.documents("rdap-live");
  if (!cached) return fail(cached.error());
  std::set<std::string> have;
  for (const auto& d : *cached) have.insert(d.name);
  std::vector<store::DataDocument> docs = std::move(*cached);
  size_t fetched = 0;
  std::set<std::string> asked;
  // Every URL the cache lacks, asked once.
  auto fetch = [&](const std::string& url) {
    if (have.contains(url) || !asked.insert(url).second) return;
    RdapFetch f = client.get(url);
    if (!f.found) {
      if (failures) ++*failures;
      return;
    }
    docs.push_back({url, std::move(f.body)});
    ++fetched;
  };
  for (const auto& ip : addresses) fetch(client.options().base_url + "ip/" + ip.to_string());
  for (const auto& domain : domains) fetch(client.options().base_url + "domain/" + domain);
  if (fetched == 0) return fetched;
  store::DataSetInfo info{
      "rdap-live", client.options().base_url, now, static_cast<int64_t>(docs.size()), 0, 0};
  if (auto s = store.replace_documents(info, docs); !s) return fail(s.error());
  return fetched;
}

}  // namespace kz::enrich
