#include "server/http/http_errors.h"

namespace kehu::server {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return 400;
    case ErrorCode::unauthorized:
    case ErrorCode::invalid_credentials: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict:
    case ErrorCode::duplicate: return 409;
    case ErrorCode::too_large: return 413;
    case ErrorCode::validation:
    case ErrorCode::insufficient_stock:
    case ErrorCode::invalid_transition: return 422;
    case ErrorCode::in_use: return 409;
    case ErrorCode::throttled: return 429;
    case ErrorCode::busy: return 503;
    case ErrorCode::storage: return 500;
  }
  return 500;
}

nlohmann::json error_json(const Error& error, Lang lang) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, text] : error.fields) fields[name] = text.in(lang);
  return {{"error", {{"code", error_code_name(error.code)}, {"message", error.message.in(lang)}, {"fields", fields}}}};
}

Error error_for_status(int status) {
  switch (status) {
    case 400: return Error::make(ErrorCode::bad_request, {"请求格式不正确", "the request is malformed"});
    case 401: return Error::make(ErrorCode::unauthorized, {"请先登录", "please sign in"});
    case 403: return Error::make(ErrorCode::forbidden, {"没有权限执行此操作", "you are not allowed to do this"});
    case 404: return Error::make(ErrorCode::not_found, {"找不到请求的内容", "nothing was found at this address"});
    case 405: return Error::make(ErrorCode::bad_request, {"不支持此请求方法", "this method is not supported here"});
    case 408: return Error::make(ErrorCode::bad_request, {"请求发送得太慢，连接已关闭", "the request arrived too slowly; the connection was closed"});
    case 413: return Error::make(ErrorCode::too_large, {"请求内容太大", "the request body is too large"});
    case 414:
    case 431: return Error::make(ErrorCode::bad_request, {"请求头或地址太长", "the request headers or address are too long"});
    case 501: return Error::make(ErrorCode::bad_request, {"不支持此传输编码", "this transfer encoding is not supported"});
    case 503: return Error::make(ErrorCode::busy, {"服务器繁忙，请稍后再试", "the server is busy; try again shortly"});
    default: return Error::make(ErrorCode::storage, {"服务器内部错误", "internal server error"});
  }
}

}  // namespace kehu::server
