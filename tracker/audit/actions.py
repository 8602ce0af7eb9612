"""Names people read for the audit log's action codes (codes stay as written; unknown ones show as is)."""
from __future__ import annotations

from tracker.core.i18n import N_

LABELS = {
    "login.success": N_("登录成功"), "login.failure": N_("登录失败"), "login.locked": N_("登录锁定"),
    "login.unlock": N_("解除锁定"), "logout": N_("退出登录"), "session.timeout": N_("会话超时"),
    "user.sessions_revoke": N_("退出所有登录"), "user.password": N_("修改密码"),
    "user.reset_password": N_("重置密码"), "user.create": N_("创建用户"), "user.active": N_("启用/停用用户"),
    "user.role": N_("修改角色"), "2fa.enable": N_("启用双因素认证"), "2fa.reset": N_("重置双因素认证"),
    "2fa.recovery_use": N_("使用恢复码"), "access.denied": N_("拒绝访问"), "download": N_("导出/下载"),
    "api_token.create": N_("创建令牌"), "api_token.revoke": N_("吊销令牌"), "settings.change": N_("安全设置变更"),
    "audit.prune": N_("清理审计记录"), "audit.export": N_("导出审计记录"), "audit.verify": N_("校验审计哈希链"),
}


def label(action: str) -> str:
    """The msgid for an action code, or the code itself."""
    return LABELS.get(action, action)
