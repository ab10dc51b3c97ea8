"""Entry point: the root command, global options, and the one place errors become exit codes.

Commands are imported only when they run (disclosure.cli.lazy): `COMMANDS` below names
each top-level command, the modules whose `register(app)` defines it and the line
`disclosure --help` shows. Adding a command is one line here (plus its module's `register`);
tests/test_cli_lazy.py fails when the table and the modules disagree.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from disclosure.cli.fields import cli_name
from disclosure.cli.help_zh import localise, usage_hint, usage_message
from disclosure.cli.lazy import LazyGroup, Table
from disclosure.cli.state import MIGRATING_COMMANDS, AppState
from disclosure.errors import DisclosureError
from rules.errors import RulesError

if TYPE_CHECKING:
    # typer bundles its own click and types its commands with it; it exports no alias.
    from typer._click import Command, Context

SETTINGS_ERROR_EXIT = 3
USAGE_ERROR_EXIT = 2
FILE_ERROR_EXIT = 1
# A file that cannot be read or written, as people say it (never "[Errno 2] ...").
FILE_ERRORS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EEXIST: "文件已存在",
}

# name: (modules in disclosure.cli whose `register` defines it, space-separated; help line).
# The order is the order of `disclosure --help`.
COMMANDS: Table = {
    "deadline": ("calc", "计算答复期限（条例第三十条、第三十三条）。"),
    "fee": ("calc", "计算信息处理费（国办函〔2020〕109号）。按件、按量只能选一种。"),
    "init": ("applications_cmds", "创建或升级数据库（可重复执行）。"),
    "register": ("applications_cmds", "登记一件政府信息公开申请。"),
    "list": ("applications_cmds", "列出申请（按答复期限排序）；--json 逐批输出，件数不限。"),
    "show": ("applications_cmds", "显示申请详情、办理经过和每个期限的计算说明。"),
    "confirm": ("steps_cmds", "确认收到（网上、传真、平信申请的双方确认之日）。"),
    "extend": ("steps_cmds", "记录延期答复（条例第三十三条第二款）。"),
    "fee-notice": ("steps_cmds", "记录发出收费通知（缴费期间不计入答复期限）。"),
    "fee-paid": ("steps_cmds", "记录申请人缴费。"),
    "defer": ("steps_cmds", "依条例第三十五条确定合理的答复期限。"),
    "reply": ("steps_cmds", "记录答复（签收或交邮之日）及其结果。"),
    "withdraw": ("steps_cmds", "记录申请人撤回申请。"),
    "abandon": ("steps_cmds", "记录视为放弃申请。"),
    "stage": ("steps_cmds", "将申请转入下一阶段（审核、办理、归档）。"),
    "archive": ("casefile_cmds", "归档已答复的申请；指定 --out 时生成并写出案卷 PDF。"),
    "assign": ("steps_cmds", "分办：指定主办部门、协办部门和承办人。"),
    "note": ("steps_cmds", "在办理经过中记录一条备注。"),
    "amend": (
        "amend_cmds",
        "更正登记信息或收到日期（原值和新值、更正人和理由记入办理经过；期限随之重算）。",
    ),
    "letter": (
        "letter_cmds",
        "出具文书：登记回执、各类告知书、征求意见书、收费通知书、答复书（.docx，可选 PDF）。",
    ),
    "export": (
        "report_cmds",
        "导出政府信息公开申请台账（每件申请的日期、期限、部门、结果及是否按期）。",
    ),
    "import": (
        "report_cmds",
        "导入已有台账或在线平台导出：逐行校验，全部成功才写入；列出每个错误的行、列和问题。",
    ),
    "attach": ("casefile_cmds", "为申请附加一份材料（按文件内容识别类型；同一文件只存储一份）。"),
    "files": ("casefile_cmds", "列出申请的案卷材料。"),
    "serve-letter": (
        "casefile_cmds",
        "记录文书送达（首次记录须有 --method、--date；之后可补记 --signed，"
        "或以 --corrects 更正）。",
    ),
    "restore": ("backup_cmds", "从备份恢复到空数据库（请先停止网页和提醒服务）。"),
    "serve": ("web_cmds", "启动网页界面。"),
    "office": ("web_cmds", "一键启动：准备数据库、首个管理员账号、期限提醒和网页界面。"),
    "draft": ("approval_cmds", "拟办：提出答复结果（或延期）和事实、理由，报请审批。"),
    "approve": ("approval_cmds", "审批同意（须轮到该用户的审批角色）。"),
    "send-back": ("approval_cmds", "退回拟办意见（须写明理由），承办人重新拟办。"),
    "approvals": ("approval_cmds", "显示拟办意见和审批进度。"),
    "approval-sheet": ("approval_cmds", "生成政府信息公开申请办理审批表（.docx）。"),
    "duplicate": (
        "applicant_cmds",
        "记录对疑似重复申请的核查结论（是否与此前已答复的申请相同）。",
    ),
    "platform-import": (
        "token_cmds",
        "导入在线平台的申请导出文件：逐行检查，全部无误才登记；已推送过的平台编号跳过。",
    ),
    "accept": ("handoff_cmds", "主办部门签收分办的申请。"),
    "return": (
        "handoff_cmds",
        "主办部门将分办的申请退回公开办（须写明理由），由公开办重新分办。",
    ),
    "cooperation-answer": ("handoff_cmds", "记录协办部门的答复（协办函的回复）。"),
    "correction": ("steps_cmds", "补正（条例第三十条）"),
    "consult": ("steps_cmds", "征求意见（条例第三十二条、第三十四条）"),
    "calendar": ("calendar_cmds", "节假日安排：载入（先预览）、查看、历史版本与恢复"),
    "department": ("department_cmds", "部门"),
    "notify": ("notify_cmds", "期限提醒邮件：不带子命令时按计划运行（守护进程）"),
    "report": ("report_cmds", "政府信息公开工作年度报告"),
    "review": ("report_cmds", "行政复议、行政诉讼案件（年度报告表四）"),
    "tasks": ("tasks_cmds", "政务公开工作要点重点任务台账"),
    "file": ("casefile_cmds", "案卷材料"),
    "retention": ("casefile_cmds", "保存期限届满后删除个人信息"),
    "audit": ("audit_cmds", "审计日志：登录、用户与部门变更、导出、下载、备份"),
    "backup": (
        "backup_cmds",
        "备份：数据库（服务运行中也可）、文档库、密钥和配置，附 SHA-256 清单",
    ),
    "user": ("user_cmds", "网页账号：新增与查看"),
    "applicant": ("applicant_cmds", "申请人：历次申请、答复、收费、复议和诉讼"),
    "token": ("token_cmds", "API 令牌：新增、查看与撤销"),
    "webhook": ("token_cmds", "事件推送（Webhook）：订阅、查看、取消与发送"),
}


class _ErrorMappingGroup(LazyGroup):
    """Maps domain errors to one line on stderr and an exit code (never a traceback);
    help pages and usage errors in Chinese (disclosure.cli.help_zh)."""

    table = COMMANDS

    def main(self, *args: Any, **kwargs: Any) -> Any:
        localise(self, deep=False)  # each command is localised when it is loaded (lazy)
        return super().main(*args, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> Context:
        try:  # a usage error of the root itself (`disclosure --bogus`): one Chinese line too
            return super().make_context(*args, **kwargs)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            _fail(f"{usage_message(exc)}\n{usage_hint(exc)}", USAGE_ERROR_EXIT)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except typer.Abort:
            _fail("已中止。", 1)
        except typer.Exit:  # a help page shown, a command's own exit code: not an error
            raise
        except Exception as exc:
            mapped = _mapped(exc, self)
            if mapped is None:
                raise
            _fail(*mapped)


def _mapped(exc: Exception, group: LazyGroup) -> tuple[str, int] | None:
    """The line and exit code for an error a user can cause; None for a bug."""
    if isinstance(exc, DisclosureError):
        return _message(exc.message, cli_name(exc.field, _options(group))), exc.exit_code
    if isinstance(exc, RulesError):
        return _message(exc.message, cli_name(exc.field, _options(group))), 2
    if isinstance(exc, UsageError):  # a missing option, a bad value, an unknown command
        return f"{usage_message(exc)}\n{usage_hint(exc)}", USAGE_ERROR_EXIT
    if isinstance(exc, OSError):
        if exc.errno in FILE_ERRORS and exc.filename:
            # a rename's target (filename2) is the path the user gave, its source a temporary
            named = exc.filename2 or exc.filename
            return f"{named}：{FILE_ERRORS[exc.errno]}", FILE_ERROR_EXIT
        return None
    # Imported on the error path only: `--help` and `deadline` start without SQLAlchemy.
    from sqlalchemy.exc import DBAPIError, OperationalError

    from disclosure.db import BUSY_MESSAGE, RegisterBusy, is_busy, unavailable
    from disclosure.settings import SettingsError

    if isinstance(exc, SettingsError):
        return str(exc), SETTINGS_ERROR_EXIT
    if isinstance(exc, OperationalError) and is_busy(exc):  # a lock wait outside transaction()
        return BUSY_MESSAGE, RegisterBusy.exit_code
    if isinstance(exc, DBAPIError) and (cannot := unavailable(exc)) is not None:
        return cannot, SETTINGS_ERROR_EXIT  # a database that cannot be opened or written
    return None


def _options(group: LazyGroup) -> frozenset[str]:
    """Every option name declared by the commands this run loaded, and their subcommands."""
    found: set[str] = set()
    for command in group.loaded_commands():
        found |= _declared(command)
    return frozenset(found)


def _declared(command: Command) -> set[str]:
    found: set[str] = set()
    for param in command.params:
        found.update(o for o in param.opts if o.startswith("--"))
    for sub in getattr(command, "commands", {}).values():  # typer bundles its own click
        found |= _declared(sub)
    return found


def _message(message: str, name: str) -> str:
    return f"{name}: {message}" if name else message


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)


app = typer.Typer(
    cls=_ErrorMappingGroup,
    help="政府信息公开申请办理期限跟踪",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="配置文件（默认 ./config.toml 或 $DISCLOSURE_CONFIG）"),
    ] = None,
) -> None:
    ctx.obj = AppState(config, migrate=ctx.invoked_subcommand in MIGRATING_COMMANDS)
    ctx.call_on_close(ctx.obj.close)
