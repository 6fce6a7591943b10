-- CreateIndex
CREATE INDEX "Delivery_session_idx" ON "Delivery"("session");
