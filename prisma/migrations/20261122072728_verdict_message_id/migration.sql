-- CreateIndex
CREATE INDEX "Verdict_messageId_idx" ON "Verdict"("messageId");
