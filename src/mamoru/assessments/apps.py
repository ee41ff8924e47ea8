from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "mamoru.assessments"
    label = "assessments"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "assessments.framework.load": _("フレームワークを登録"),
        "assessments.mapping.load": _("版の対応付けを登録"),
        "assessments.campaign.create": _("調査を送付"),
        "assessments.campaign.close": _("調査を締切"),
        "assessments.campaign.freeze": _("締切時の評価と比較統計を確定"),
        "assessments.answer.save": _("調査の回答を保存"),
        "assessments.answer.assign": _("調査の項目を担当者に割り当て"),
        "assessments.answers.import": _("調査の回答をファイルから取り込み"),
        "assessments.answers.carry": _("前回の回答を引き継ぎ"),
        "assessments.evidence.add": _("根拠資料を添付"),
        "assessments.evidence.delete": _("根拠資料を削除"),
        "assessments.evidence.read": _("根拠資料を閲覧"),
        "assessments.target.read": _("調査の回答を閲覧"),
        "assessments.target.submit": _("調査の回答を提出"),
        "assessments.submissions.import": _("過去の調査結果を提出として取り込み"),
        "assessments.target.return": _("調査の回答を差し戻し"),
        "assessments.target.accept": _("調査の回答を確認済みにする"),
        "assessments.note.add": _("フォローアップのメモを記録"),
        "assessments.dashboard.read": _("調査の集計を閲覧"),
        "assessments.results.export": _("調査の結果を書き出し"),
        "assessments.reminder.send": _("調査の回答期限を通知"),
    }

    def ready(self) -> None:
        from mamoru.assessments.ui import shell  # noqa: F401 - menu entries and home items
