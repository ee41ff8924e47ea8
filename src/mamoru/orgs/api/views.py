"""REST API of the organisations app: one class per operation, explicit input and output
serializers. Views call selectors and services with the request's principal and nothing
else: the services decide permissions, ``mamoru.api.exceptions`` maps their refusals."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamoru.api.pagination import PAGE_PARAMETERS, page_of, paginated
from mamoru.orgs.api.serializers import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    InvitationIn,
    InvitationOut,
    MembershipIn,
    MembershipOut,
    MembershipRoleIn,
    MeOut,
    OrganisationFilterIn,
    OrganisationOut,
)
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import principal_of
from mamoru.orgs.selectors import (
    acting_contexts,
    api_token_get,
    api_tokens_of,
    invitation_get,
    invitations_open,
    membership_get,
    memberships_list,
    organisation_detail,
    organisation_get,
    organisation_search,
)
from mamoru.orgs.services import (
    api_token_create,
    api_token_revoke,
    invitation_create,
    invitation_revoke,
    membership_add,
    membership_remove,
    membership_role_change,
)

ORG_CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="団体コード（6桁）または国の機関のコード"
)


class MeApi(APIView):
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


class OrganisationDetailApi(APIView):
    @extend_schema(parameters=[ORG_CODE], responses=OrganisationOut, summary="団体の詳細")
    def get(self, request: Request, code: str) -> Response:
        organisation = organisation_detail(principal=principal_of(request), code=code)
        return Response(OrganisationOut(organisation).data)


class MembershipListApi(APIView):
    @extend_schema(
        parameters=[ORG_CODE, *PAGE_PARAMETERS],
        responses=page_of(MembershipOut),
        summary="団体の所属者",
    )
    def get(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = organisation_get(principal=principal, code=code)
        members = memberships_list(principal=principal, organisation=organisation)
        return paginated(request, self, members, lambda page: MembershipOut(page, many=True).data)

    @extend_schema(
        parameters=[ORG_CODE],
        request=MembershipIn,
        responses={201: MembershipOut},
        summary="所属者を追加",
    )
    def post(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = organisation_get(principal=principal, code=code)
        payload = MembershipIn(data=request.data)
        payload.is_valid(raise_exception=True)
        user_model = get_user_model()
        try:
            user = user_model.objects.get(
                username=payload.validated_data["username"], is_active=True
            )
        except user_model.DoesNotExist as exc:
            raise ValidationError({"username": ["この利用者はいません"]}) from exc
        membership = membership_add(
            principal=principal,
            user=user,
            organisation=organisation,
            role=payload.validated_data["role"],
        )
        return Response(MembershipOut(membership).data, status=status.HTTP_201_CREATED)


class MembershipDetailApi(APIView):
    @extend_schema(request=MembershipRoleIn, responses=MembershipOut, summary="役割を変更")
    def patch(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        membership = membership_get(principal=principal, pk=pk)
        payload = MembershipRoleIn(data=request.data)
        payload.is_valid(raise_exception=True)
        changed = membership_role_change(
            principal=principal, membership=membership, role=payload.validated_data["role"]
        )
        return Response(MembershipOut(changed).data)

    @extend_schema(responses={204: None}, summary="所属を解除")
    def delete(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        membership = membership_get(principal=principal, pk=pk)
        membership_remove(principal=principal, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationListApi(APIView):
    @extend_schema(
        parameters=[ORG_CODE, *PAGE_PARAMETERS],
        responses=page_of(InvitationOut),
        summary="返事を待っている招待",
    )
    def get(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = organisation_get(principal=principal, code=code)
        invitations = invitations_open(principal=principal, organisation=organisation)
        return paginated(
            request, self, invitations, lambda page: InvitationOut(page, many=True).data
        )

    @extend_schema(
        parameters=[ORG_CODE],
        request=InvitationIn,
        responses={201: InvitationOut},
        summary="メールで職員を招待（リンクはメールにだけ載る）",
    )
    def post(self, request: Request, code: str) -> Response:
        principal = principal_of(request)
        organisation = organisation_get(principal=principal, code=code)
        payload = InvitationIn(data=request.data)
        payload.is_valid(raise_exception=True)
        invitation, _secret = invitation_create(
            principal=principal,
            organisation=organisation,
            email=payload.validated_data["email"],
            role=payload.validated_data["role"],
            display_name=payload.validated_data.get("display_name", ""),
        )
        return Response(InvitationOut(invitation).data, status=status.HTTP_201_CREATED)


class InvitationDetailApi(APIView):
    @extend_schema(responses={204: None}, summary="招待を取り消す")
    def delete(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        invitation_revoke(
            principal=principal, invitation=invitation_get(principal=principal, pk=pk)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenListApi(APIView):
    """The caller's own API tokens. Issuing one needs a signed-in session: a token cannot
    mint tokens, so a leaked token cannot outlive its own expiry."""

    @extend_schema(
        parameters=PAGE_PARAMETERS, responses=page_of(ApiTokenOut), summary="自分のAPIトークン"
    )
    def get(self, request: Request) -> Response:
        tokens = api_tokens_of(principal=principal_of(request))
        return paginated(request, self, tokens, lambda page: ApiTokenOut(page, many=True).data)

    @extend_schema(
        request=ApiTokenIn, responses={201: ApiTokenCreatedOut}, summary="APIトークンを発行"
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        payload = ApiTokenIn(data=request.data)
        payload.is_valid(raise_exception=True)
        token, plaintext = api_token_create(
            principal=principal,
            user=principal.user,
            organisation=principal.organisation,
            name=payload.validated_data["name"],
            permissions=payload.validated_data.get("permissions"),
            expires_in_days=payload.validated_data.get("expires_in_days"),
        )
        # The plaintext exists only in this response; the model keeps its digest.
        body = {**ApiTokenOut(token).data, "token": plaintext}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenDetailApi(APIView):
    @extend_schema(responses={204: None}, summary="APIトークンを失効")
    def delete(self, request: Request, pk: int) -> Response:
        principal = principal_of(request)
        api_token_revoke(principal=principal, token=api_token_get(principal=principal, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
