"""The coopex command line."""

from __future__ import annotations

import logging
import os
import signal
import sys

import typer

from pipeline.cli import cache_cmd, model_cmd, review_cmd
from pipeline.cli.batch_cmd import batch
from pipeline.cli.batch_ray import BatchCommand
from pipeline.cli.common import EXIT_INTERRUPTED
from pipeline.cli.eval_cmd import eval_command
from pipeline.cli.extract_cmd import extract
from pipeline.cli.tables_cmd import export, merge, report
from pipeline.core.redact import install_log_redaction
from pipeline.storage.remote import left_hanging

HELP = """Extract Kazakhstan–China cooperation events from news articles as validated JSON records.

Endpoint: OPENAI_BASE_URL, OPENAI_API_KEY and COOPEX_MODEL select any
OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp). With none set,
coopex runs the embedded local model on the CPU, with no network.
"""

# instructor logs every failed attempt at ERROR; coopex reports the outcome itself (error records,
# the run summary, a one-line error), so its log lines would only be noise around them
logging.getLogger("instructor").setLevel(logging.CRITICAL)

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.command()(extract)
app.command(cls=BatchCommand)(batch)  # --ray takes an optional address
app.command(name="eval")(eval_command)
app.command()(merge)
app.command()(export)
app.command()(report)
app.add_typer(cache_cmd.app, name="cache")
app.add_typer(model_cmd.app, name="model")
app.add_typer(review_cmd.app, name="review")


_signalled = False  # Ctrl-C or SIGTERM arrived: the run ends with EXIT_INTERRUPTED, whatever the command


def _terminate(signum: int, frame: object) -> None:
    global _signalled
    _signalled = True
    raise KeyboardInterrupt  # unwinds like Ctrl-C: the embedded server is stopped, finished lines are kept


def main() -> None:
    install_log_redaction()  # no log line shows a password or key an endpoint address holds
    signal.signal(signal.SIGTERM, _terminate)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # left alone when ignored (nohup, &)
        signal.signal(signal.SIGINT, _terminate)
    try:
        app()
    except SystemExit as e:
        # a command that does not handle the interrupt itself ends in click's "Aborted!" (exit 1)
        code = EXIT_INTERRUPTED if _signalled and e.code != EXIT_INTERRUPTED else e.code
        if left_hanging():
            # a remote read that never answered is still in pyarrow's C++ code, and the interpreter's
            # shutdown would wait for it (the S3 client's finaliser): end the process now
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code if isinstance(code, int) else 1)
        if code == e.code:
            raise
        raise SystemExit(code) from None


if __name__ == "__main__":
    main()
