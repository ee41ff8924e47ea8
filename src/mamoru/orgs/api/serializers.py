from __future__ import annotations

from rest_framework import serializers

from mamoru.orgs.models import Invitation, Membership, Organisation
from mamoru.orgs.roles import Role


class OrganisationOut(serializers.ModelSerializer[Organisation]):
    parent = serializers.CharField(
        source="parent.code", read_only=True, allow_null=True, default=None
    )  # type: ignore[assignment]
    population_band = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = [
            "code", "name", "name_en", "reading", "kind", "parent",
            "prefecture_code", "population", "population_band", "receives_reports",
        ]  # fmt: skip
        read_only_fields = fields


class OrganisationFilterIn(serializers.Serializer[object]):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="名称・よみ・コードで検索"
    )
    # Empty values mean "no filter", as an HTML form sends them.
    kind = serializers.ChoiceField(
        choices=Organisation._meta.get_field("kind").choices or [], required=False, allow_blank=True
    )
    prefecture = serializers.RegexField(
        r"^(\d{2})?$", required=False, allow_blank=True, help_text="2桁の都道府県コード"
    )


class ActingContextOut(serializers.Serializer[object]):
    organisation = OrganisationOut()
    role = serializers.ChoiceField(choices=Role.choices)
    via_grant = serializers.BooleanField()


class MeOut(serializers.Serializer[object]):
    username = serializers.CharField()
    display_name = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    organisation = OrganisationOut(help_text="いま操作している団体")
    role = serializers.ChoiceField(choices=Role.choices)
    permissions = serializers.ListField(child=serializers.CharField())
    via_token = serializers.BooleanField()
    contexts = ActingContextOut(many=True, help_text="切り替えられる団体")


class MembershipOut(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "display_name", "organisation", "role", "created_at"]
        read_only_fields = fields


class MembershipIn(serializers.Serializer[object]):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class ApiTokenOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="トークンを見分けるための先頭部分")
    organisation = serializers.CharField(source="organisation.code")
    permissions = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)


class ApiTokenCreatedOut(ApiTokenOut):
    token = serializers.CharField(help_text="トークン本体。この応答でしか表示されません")


class ApiTokenIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=100)
    permissions = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )
    expires_in_days = serializers.IntegerField(required=False, min_value=1, max_value=3650)


class MembershipRoleIn(serializers.Serializer[object]):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationIn(serializers.Serializer[object]):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class InvitationOut(serializers.ModelSerializer[Invitation]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "display_name", "role", "organisation", "created_at", "expires_at"]
        read_only_fields = fields
