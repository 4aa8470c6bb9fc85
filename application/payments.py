"""Top-ups as the payer sees them: estimate, create, status, cancel, history."""

from __future__ import annotations

from uuid import UUID

from attrs import frozen

from application.dependencies import UseCases
from application.units import CommitAndRaise
from domain.errors import GatewayError, GatewayNotImplemented, InvalidTransition
from domain.money import Currency, Money, parse_amount
from domain.paging import Page, PageRequest
from domain.payments import (
    Attempt,
    GatewayConfig,
    Payment,
    PaymentType,
    expiry,
    reference_number,
)
from domain.text import check_text, check_web_url
from ports.gateways import PaymentGateway
from ports.storage import UnitOfWork

MAX_TEXT = 1000


@frozen
class CreatePayment:
    user_id: str
    gateway: object
    amount: object
    currency: object | None = None
    callback_url: str = ""
    return_url: str = ""
    description: str = ""
    payment_type: PaymentType = PaymentType.WALLET_CHARGE


@frozen
class CreatedPayment:
    payment: Payment
    payment_url: str
    gateway: GatewayConfig


@frozen
class Estimate:
    amount: Money
    commission: Money
    total_amount: Money
    gateway: GatewayConfig


class PaymentUseCases(UseCases):
    async def estimate(self, user_id: str, gateway: object, amount: object,
                       currency: object | None = None) -> Estimate:
        """What a top-up would cost: the commission rounded half up once, and the total."""
        async def body(uow: UnitOfWork) -> Estimate:
            config = await self._active_gateway(uow, gateway)
            money = parse_amount(amount, self._currency_for(config, currency))
            config.ensure_in_limits(money)
            commission = config.commission_for(money)
            return Estimate(money, commission, money + commission, config)

        return await self._units.read(body)

    async def create(self, command: CreatePayment) -> CreatedPayment:
        """Create a top-up within the gateway's limits, ``min_wallet_topup`` and
        ``max_wallet_balance``, and open the gateway's checkout. A gateway that refuses leaves the
        payment ``failed`` with the reason in its log."""
        async def body(uow: UnitOfWork) -> CreatedPayment:
            config = await self._active_gateway(uow, command.gateway)
            adapter = self._adapter(config.name)
            payment = await self._new_payment(uow, config, command)
            await uow.payments.add(payment)
            await self._log(uow, payment.id, "state_change", "created")
            await self._payment_event(uow, "created", payment)
            self._units.emit("payment_created", payment_id=str(payment.id), gateway=payment.gateway)
            url = await self._open_checkout(uow, adapter, payment)
            return CreatedPayment(payment, url, config)

        return await self._units.write(body)

    async def get(self, user_id: str, payment_id: UUID) -> Payment:
        """The user's own payment (someone else's answers not found), expiry enforced."""
        async def body(uow: UnitOfWork) -> Payment:
            payment = await self._locked_payment(uow, payment_id, owner=user_id)
            await self._write_down_expiry(uow, payment)
            return payment

        return await self._units.write(body)

    async def cancel(self, user_id: str, payment_id: UUID) -> Payment:
        """The payer cancels a pending or processing payment; open attempts are cancelled too."""
        async def body(uow: UnitOfWork) -> Payment:
            payment = await self._locked_payment(uow, payment_id, owner=user_id)
            if await self._write_down_expiry(uow, payment):
                raise CommitAndRaise(InvalidTransition("Payment has expired", status="expired"))
            payment.cancel(self._now())
            await uow.payments.save(payment)
            await self._cancel_open_attempts(uow, payment.id)
            await self._log(uow, payment.id, "state_change", "cancelled by the payer")
            await self._payment_event(uow, "cancelled", payment)
            self._units.emit("payment_cancelled", payment_id=str(payment.id), gateway=payment.gateway)
            return payment

        return await self._units.write(body)

    async def history(self, user_id: str, page: PageRequest,
                      gateway: str | None = None) -> Page[Payment]:
        """Newest first (optionally one gateway's); a payment past its expiry shows as expired
        even before the sweeper runs."""
        now = self._now()

        async def body(uow: UnitOfWork) -> Page[Payment]:
            found = await uow.reports.payments_for_user(user_id, page, gateway=gateway)
            for payment in found.items:
                payment.expire_if_due(now)
            return found

        return await self._units.read(body)

    def checkout_url(self, payment: Payment) -> str:
        adapter = self._deps.gateways.get(payment.gateway)
        return adapter.payment_url(payment) if adapter is not None else ""

    def _adapter(self, name: str) -> PaymentGateway:
        adapter = self._deps.gateways.get(name)
        if adapter is None:
            raise GatewayNotImplemented(field="gateway")
        return adapter

    def _currency_for(self, config: GatewayConfig, raw: object | None) -> Currency:
        return config.default_currency if raw in (None, "") else Currency.parse(raw)

    async def _new_payment(self, uow: UnitOfWork, config: GatewayConfig,
                           command: CreatePayment) -> Payment:
        amount = parse_amount(command.amount, self._currency_for(config, command.currency))
        config.ensure_in_limits(amount)
        settings = await self._settings(uow)
        wallet = await uow.wallets.lock(command.user_id, amount.currency, self._now())
        if settings.binds(amount.currency):
            settings.ensure_topup_allowed(amount)
        wallet.ensure_can_receive(amount, settings.max_wallet_balance
                                  if settings.binds(amount.currency) else None)
        now = self._now()
        return Payment(
            id=self._deps.ids.new_id(),
            reference_number=reference_number(now, self._deps.ids.random_hex(8)),
            user_id=command.user_id, gateway=config.name, amount=amount,
            commission=config.commission_for(amount), created_at=now,
            expires_at=expiry(now, self.config.payment_ttl_seconds),
            payment_type=command.payment_type,
            description=check_text(command.description, "description", max_length=MAX_TEXT,
                                   multiline=True),
            callback_url=check_web_url(command.callback_url, "callback_url"),
            return_url=check_web_url(command.return_url, "return_url"), updated_at=now,
        )

    async def _open_checkout(self, uow: UnitOfWork, adapter: PaymentGateway, payment: Payment) -> str:
        try:
            session = await adapter.checkout(payment)
        except GatewayError as error:
            payment.fail(self._now())
            await uow.payments.save(payment)
            await self._log(uow, payment.id, "error", error.message, payload=str(error.details))
            await self._payment_event(uow, "failed", payment)
            self._units.emit("payment_failed", payment_id=str(payment.id), gateway=payment.gateway)
            raise CommitAndRaise(error) from error
        if session.raw:
            await self._log(uow, payment.id, "request", "checkout opened", payload=session.raw)
        if session.opens_attempt:
            now = self._now()
            payment.external_id = session.external_id
            payment.start_processing(now)
            await uow.payments.save(payment)
            await uow.payments.add_attempt(Attempt(
                self._deps.ids.new_id(), payment.id, payment.gateway, session.external_id, now))
        return session.payment_url
