package org.dpopj.it.wildfly.app;

import java.io.IOException;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Lists the CDI beans of a type, as the application's bean manager sees them (diagnostics). */
@WebServlet("/beans")
public class BeansServlet extends HttpServlet {

    @Inject
    BeanManager beans;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String type : request.getParameterValues("type")) {
            try {
                Class<?> clazz = Class.forName(type, false, Thread.currentThread().getContextClassLoader());
                for (Bean<?> bean : beans.getBeans(clazz, jakarta.enterprise.inject.Any.Literal.INSTANCE)) {
                    out.append(type).append(" -> ").append(bean.getBeanClass().getName()).append(' ').append(bean.getQualifiers()).append('\n');
                }
            } catch (ClassNotFoundException e) {
                out.append(type).append(" not visible\n");
            }
        }
        response.setContentType("text/plain");
        response.getWriter().write(out.toString());
    }
}
