#include "coord/smtp.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

namespace kz::coord {

namespace {

struct Upload {
  const std::string* bytes;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const size_t room = size * n;
  const size_t left = u->bytes->size() - u->offset;
  const size_t take = left < room ? left : room;
  std::memcpy(buffer, u->bytes->data() + u->offset, take);
  u->offset += take;
  return take;
}

std::string bracketed(const std::string& address) { return "<" + address + ">"; }

}  // namespace

SmtpResult smtp_send(const SmtpOptions& options, const std::string& mail_from,
                     const std::vector<std::string>& recipients, const std::string& bytes) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  SmtpResult result;
  CURL* curl = curl_easy_init();
  if (!curl) {
    result.error = "libcurl could not start";
    return result;
  }
  std::string url = options.url;
  if (!options.helo_domain.empty() && url.find('/', url.find("://") + 3) == std::string::npos) {
    url += "/" + options.helo_domain;  // curl takes the HELO/EHLO name from the URL path
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (options.starttls == "required") {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  } else if (options.starttls == "try") {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  }
  if (!options.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
  if (!options.verify_peer) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const std::string from = bracketed(mail_from);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_slist* rcpt = nullptr;
  for (const auto& r : recipients) rcpt = curl_slist_append(rcpt, bracketed(r).c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  Upload upload{&bytes};
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);

  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.code);
  if (rc == CURLE_OK) {
    result.accepted = true;
  } else {
    result.error =
        std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
    if (result.code > 0) result.error += " (SMTP " + std::to_string(result.code) + ")";
    // 5xx is final; curl's own refusals (a login denied, TLS required but not offered) too.
    result.relay = rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED || result.code == 530 ||
                   result.code == 534 || result.code == 535 || result.code == 538;
    result.permanent = (result.code >= 500 && result.code < 600) || result.relay;
    result.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    result.relay_down = result.timed_out || result.code == 421 || rc == CURLE_COULDNT_CONNECT ||
                        rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_GOT_NOTHING ||
                        rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
                        rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_WEIRD_SERVER_REPLY;
  }
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace kz::coord
