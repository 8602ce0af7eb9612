"""Friendly error pages (and JSON for the API): no user ever sees a traceback."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from tracker.core.errors import DomainError
from tracker.core.i18n import N_

log = logging.getLogger(__name__)

MESSAGES = {
    400: N_("请求无效，请返回重试。"),
    401: N_("需要登录或有效的令牌。"),
    403: N_("您没有权限访问此页面。"),
    404: N_("页面不存在。"),
    405: N_("不支持此操作。"),
    409: N_("数据已被他人修改，请刷新后重试。"),
    413: N_("上传的文件太大。"),
    422: N_("提交的数据有误。"),
    429: N_("请求过于频繁，请稍后再试。"),
    500: N_("服务器出错了，我们已记录此问题。"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str | None = None, fields: dict | None = None):
    text = message or gettext(MESSAGES.get(status, MESSAGES[500]))
    if wants_json():
        body = {"error": {"code": status, "message": text}}
        if fields:
            body["error"]["fields"] = fields
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=text), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, gettext("表单已过期或缺少安全令牌，请刷新页面后重新提交。"))

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):  # the request's changes are already rolled back (tracker/transaction.py)
        fields = {k: gettext(v) for k, v in getattr(error, "fields", {}).items()} or None
        return render_error(error.status, gettext(error.template, **error.params), fields)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        body, status = render_error(error.code or 500)
        if wants_json():  # keep the headers the status needs: Allow, WWW-Authenticate, Retry-After
            body.headers.extend(h for h in error.get_headers() if h[0].lower() != "content-type")
        return body, status

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
