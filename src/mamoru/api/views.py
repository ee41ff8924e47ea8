"""REST API v1: one class per operation, explicit input and output serializers.

Every read goes through the access gate with the request's principal; an organisation
or record outside it answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.accounts.models import ApiToken
from mamoru.accounts.selectors import api_token_get, api_tokens_of
from mamoru.accounts.services import api_token_create, api_token_revoke
from mamoru.api.principal import HasPrincipal, principal_of
from mamoru.api.serializers import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    MembershipIn,
    MembershipOut,
    MeOut,
    OrganisationFilterIn,
    OrganisationOut,
)
from mamoru.audit.services import audit_record
from mamoru.orgs.models import Membership, Organisation
from mamoru.orgs.roles import Permission
from mamoru.orgs.selectors import (
    acting_contexts,
    membership_get,
    memberships_of,
    organisation_get,
    organisation_search,
)
from mamoru.orgs.services import membership_add, membership_remove

ORG_CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="団体コード（6桁）または国の機関のコード"
)


class MeApi(APIView):
    permission_classes = [HasPrincipal]

    @extend_schema(responses=MeOut, summary="ログイン中の利用者と操作中の団体")
    def get(self, request: Request) -> Response:
        principal = principal_of(request)
        data = {
            "username": principal.user.username,
            "display_name": principal.user.display_name,
            "email": principal.user.email,
            "organisation": principal.organisation,
            "role": principal.role,
            "permissions": sorted(principal.permissions),
            "via_token": principal.token is not None,
            "contexts": acting_contexts(user=principal.user) if principal.token is None else [],
        }
        return Response(MeOut(data).data)


class OrganisationListApi(ListAPIView[Organisation]):
    permission_classes = [HasPrincipal]
    serializer_class = OrganisationOut

    @extend_schema(parameters=[OrganisationFilterIn], summary="見える団体の一覧")
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        filters = OrganisationFilterIn(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return organisation_search(
            principal=principal_of(self.request),
            query=filters.validated_data.get("q", ""),
            kind=filters.validated_data.get("kind", ""),
            prefecture_code=filters.validated_data.get("prefecture", ""),
        ).select_related("parent")


def _organisation(request: Request, code: str) -> Organisation:
    try:
        return organisation_get(principal=principal_of(request), code=code)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


class OrganisationDetailApi(APIView):
    permission_classes = [HasPrincipal]

    @extend_schema(parameters=[ORG_CODE], responses=OrganisationOut, summary="団体の詳細")
    def get(self, request: Request, code: str) -> Response:
        return Response(OrganisationOut(_organisation(request, code)).data)


class MembershipListApi(APIView):
    permission_classes = [HasPrincipal]

    @extend_schema(
        parameters=[ORG_CODE], responses=MembershipOut(many=True), summary="団体の所属者"
    )
    def get(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = _organisation(request, code)
        members = list(memberships_of(principal=principal, organisation=organisation))
        if not members and not principal.can(Permission.MEMBERS_VIEW):
            raise PermissionDenied
        audit_record(
            action="members.read",
            actor=principal.user,
            organisation=organisation,
            details={"via": "api"},
        )
        return Response(MembershipOut(members, many=True).data)

    @extend_schema(
        parameters=[ORG_CODE],
        request=MembershipIn,
        responses={201: MembershipOut},
        summary="所属者を追加",
    )
    def post(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = _organisation(request, code)
        if organisation != principal.organisation or not principal.can(Permission.MEMBERS_MANAGE):
            raise PermissionDenied("所属者を管理する権限がありません")
        payload = MembershipIn(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            user = get_user_model().objects.get(
                username=payload.validated_data["username"], is_active=True
            )
        except get_user_model().DoesNotExist as exc:
            raise ValidationError({"username": ["この利用者はいません"]}) from exc
        membership = membership_add(
            user=user,
            organisation=organisation,
            role=payload.validated_data["role"],
            actor=principal.user,
        )
        return Response(MembershipOut(membership).data, status=status.HTTP_201_CREATED)


class MembershipDetailApi(APIView):
    permission_classes = [HasPrincipal]

    @extend_schema(responses={204: None}, summary="所属を解除")
    def delete(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        try:
            membership = membership_get(principal=principal, pk=pk)
        except Membership.DoesNotExist as exc:
            raise Http404 from exc
        if membership.organisation != principal.organisation or not principal.can(
            Permission.MEMBERS_MANAGE
        ):
            raise PermissionDenied("所属者を管理する権限がありません")
        membership_remove(membership=membership, actor=principal.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenListApi(APIView):
    """The caller's own API tokens. Creating one needs a signed-in session: a token cannot
    mint tokens, so a leaked token cannot outlive its own expiry."""

    permission_classes = [HasPrincipal]

    @extend_schema(responses=ApiTokenOut(many=True), summary="自分のAPIトークン")
    def get(self, request: Request) -> Response:
        principal = principal_of(request)
        return Response(ApiTokenOut(api_tokens_of(user=principal.user), many=True).data)

    @extend_schema(
        request=ApiTokenIn, responses={201: ApiTokenCreatedOut}, summary="APIトークンを発行"
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        if principal.token is not None:
            raise PermissionDenied("APIトークンではトークンを発行できません")
        payload = ApiTokenIn(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            token, plaintext = api_token_create(
                user=principal.user,
                organisation=principal.organisation,
                name=payload.validated_data["name"],
                permissions=payload.validated_data.get("permissions"),
                expires_in_days=payload.validated_data.get("expires_in_days"),
                actor=principal.user,
            )
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        # The plaintext exists only in this response; the model keeps its digest.
        body = {**ApiTokenOut(token).data, "token": plaintext}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenDetailApi(APIView):
    permission_classes = [HasPrincipal]

    @extend_schema(responses={204: None}, summary="APIトークンを失効")
    def delete(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        try:
            token = api_token_get(user=principal.user, pk=pk)
        except ApiToken.DoesNotExist as exc:
            raise Http404 from exc
        api_token_revoke(token=token, actor=principal.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
